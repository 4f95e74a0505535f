import Foundation

/// Reads one JSON-lines object for a few named members, byte-level, with the fast JSON Feed
/// path's strict scanner (no tree, no `String` per member it does not keep).
///
/// It vouches only for what it is sure a general parser (`JSONSerialization`) reads the same:
/// `read` is false for a line that is not exactly one valid JSON object, that repeats a member
/// it was asked for, holds a lone surrogate escape, invalid UTF-8, nesting deeper than 64, or a
/// number with an exponent or more than 18 digits (`JSONSerialization` refuses `1e999`), and a
/// caller then hands the line to the general parser (which also words the error, and takes a
/// trailing comma that strict JSON does not).
///
/// ```swift
/// var reader = JSONObjectLine(keys: ["id", "text"])
/// bytes.withUnsafeBufferPointer { line in
///     if reader.read(line), reader.kind(1) == .string {
///         reader.withValue(1) { text in … }   // the decoded UTF-8 of "text"
///     }
/// }
/// ```
public struct JSONObjectLine {
    /// What the line held for a member asked for.
    public enum Kind: UInt8, Sendable {
        /// Not in the object.
        case missing
        case null
        /// A string; its value is the decoded UTF-8.
        case string
        /// An integer without fraction or exponent, at most 18 digits; its value is the literal.
        case integer
        /// Any other value (`true`, `false`, a number of another shape, an array, an object).
        case other
    }

    private let keys: [[UInt8]]
    @usableFromInline private(set) var kinds: [Kind]
    /// Values of the members read, end to end; `ranges[k]` is member `k`'s.
    @usableFromInline private(set) var arena: [UInt8] = []
    @usableFromInline private(set) var ranges: [Range<Int>]
    private var buffer: [UInt8] = []

    /// `keys`: the member names to read (at most 32).
    public init(keys: [String]) {
        precondition(keys.count <= 32)
        self.keys = keys.map { Array($0.utf8) }
        kinds = Array(repeating: .missing, count: keys.count)
        ranges = Array(repeating: 0..<0, count: keys.count)
        arena.reserveCapacity(4096)
        buffer.reserveCapacity(1024)
    }

    /// What member `k` (an index into `keys`) held on the last line read.
    @inlinable public func kind(_ k: Int) -> Kind { kinds[k] }

    /// The bytes of member `k` on the last line read: a string's decoded UTF-8, an integer's
    /// literal, else empty.
    /// (Inlinable: specialised in the caller, no generic value copies a line.)
    @inlinable public func withValue<R>(_ k: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        try arena.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[ranges[k]])) }
    }

    /// Reads `line` (without its line feed; spaces around the object are allowed). False when
    /// the reader cannot vouch for the line (see the type's description); the members read are
    /// then undefined.
    public mutating func read(_ line: UnsafeBufferPointer<UInt8>) -> Bool {
        for k in kinds.indices { kinds[k] = .missing; ranges[k] = 0..<0 }
        arena.removeAll(keepingCapacity: true)
        guard FastXMLScanner.validUTF8(line, xmlChars: false) else { return false }
        var r = FastJSONFeed(line: line, buffer: buffer)
        buffer = []  // the scanner holds the only reference while it runs
        defer { buffer = r.buf }
        r.ws()
        guard r.at(r.i) == UInt8(ascii: "{") else { return false }
        r.i += 1
        r.ws()
        if r.at(r.i) == UInt8(ascii: "}") {
            r.i += 1
        } else {
            while true {
                r.ws()
                guard r.at(r.i) == UInt8(ascii: "\""), r.string() else { return false }
                let k = r.withValue { name in
                    keys.firstIndex { $0.count == name.count && $0.withUnsafeBufferPointer { memcmp($0.baseAddress!, name.baseAddress!, name.count) == 0 } }
                }
                r.ws()
                guard r.at(r.i) == UInt8(ascii: ":") else { return false }
                r.i += 1
                r.ws()
                if let k {
                    guard kinds[k] == .missing, member(&r, k) else { return false }
                } else {
                    guard skip(&r, depth: 1) else { return false }
                }
                r.ws()
                if r.at(r.i) == UInt8(ascii: ",") { r.i += 1; continue }
                if r.at(r.i) == UInt8(ascii: "}") { r.i += 1; break }
                return false
            }
        }
        r.ws()
        return r.i == line.count
    }

    /// Reads member `k`'s value at the scanner's position.
    private mutating func member(_ r: inout FastJSONFeed, _ k: Int) -> Bool {
        let c = r.at(r.i)
        if c == UInt8(ascii: "\"") {
            guard r.string() else { return false }
            let start = arena.count
            r.withValue { arena.append(contentsOf: $0) }
            kinds[k] = .string
            ranges[k] = start..<arena.count
            return true
        }
        if c == UInt8(ascii: "-") || (c >= 0x30 && c <= 0x39) {
            // `-?(0|[1-9][0-9]*)`, then a delimiter: anything else is "other" and read by the scanner.
            let start = r.i
            var e = start
            if r.at(e) == UInt8(ascii: "-") { e += 1 }
            let digits = e
            while r.at(e) >= 0x30 && r.at(e) <= 0x39 { e += 1 }
            let count = e - digits
            let next = r.at(e)
            // "-0" is left to the general parser (it may read it as a float).
            let plain = count > 0 && count <= 18 && (r.at(digits) != 0x30 || (count == 1 && digits == start))
                && next != UInt8(ascii: ".") && next != UInt8(ascii: "e") && next != UInt8(ascii: "E")
            if plain {
                let a = arena.count
                arena.append(contentsOf: UnsafeBufferPointer(rebasing: r.p[start..<e]))
                r.i = e
                kinds[k] = .integer
                ranges[k] = a..<arena.count
                return true
            }
            kinds[k] = .other
            return skip(&r, depth: 1)
        }
        if c == UInt8(ascii: "n") {
            kinds[k] = .null
        } else {
            kinds[k] = .other
        }
        return skip(&r, depth: 1)
    }

    /// Skips one value, strictly, nesting at most 64 deep. Numbers are taken only in the shape
    /// every parser reads alike: at most 18 digits, no exponent (`JSONSerialization` refuses
    /// `1e999`); anything else is left to the general parser.
    private func skip(_ r: inout FastJSONFeed, depth: Int) -> Bool {
        guard depth < 64 else { return false }
        @inline(__always) func digit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
        @inline(__always) func literal(_ s: StaticString) -> Bool {
            let count = s.utf8CodeUnitCount
            for k in 0..<count where r.at(r.i + k) != s.utf8Start[k] { return false }
            r.i += count
            return true
        }
        switch r.at(r.i) {
        case UInt8(ascii: "\""): return r.string()
        case UInt8(ascii: "{"):
            r.i += 1
            r.ws()
            if r.at(r.i) == UInt8(ascii: "}") { r.i += 1; return true }
            while true {
                r.ws()
                guard r.at(r.i) == UInt8(ascii: "\""), r.string() else { return false }
                r.ws()
                guard r.at(r.i) == UInt8(ascii: ":") else { return false }
                r.i += 1
                r.ws()
                guard skip(&r, depth: depth + 1) else { return false }
                r.ws()
                if r.at(r.i) == UInt8(ascii: ",") { r.i += 1; continue }
                if r.at(r.i) == UInt8(ascii: "}") { r.i += 1; return true }
                return false
            }
        case UInt8(ascii: "["):
            r.i += 1
            r.ws()
            if r.at(r.i) == UInt8(ascii: "]") { r.i += 1; return true }
            while true {
                r.ws()
                guard skip(&r, depth: depth + 1) else { return false }
                r.ws()
                if r.at(r.i) == UInt8(ascii: ",") { r.i += 1; continue }
                if r.at(r.i) == UInt8(ascii: "]") { r.i += 1; return true }
                return false
            }
        case UInt8(ascii: "t"): return literal("true")
        case UInt8(ascii: "f"): return literal("false")
        case UInt8(ascii: "n"): return literal("null")
        default:
            // `-?(0|[1-9][0-9]*)(\.[0-9]+)?`, 18 digits at most.
            var digits = 0
            if r.at(r.i) == UInt8(ascii: "-") { r.i += 1 }
            if r.at(r.i) == UInt8(ascii: "0") {
                r.i += 1
                digits = 1
            } else {
                guard digit(r.at(r.i)) else { return false }
                while digit(r.at(r.i)) { r.i += 1; digits += 1 }
            }
            if r.at(r.i) == UInt8(ascii: ".") {
                r.i += 1
                guard digit(r.at(r.i)) else { return false }
                while digit(r.at(r.i)) { r.i += 1; digits += 1 }
            }
            let e = r.at(r.i)
            return digits <= 18 && e != UInt8(ascii: "e") && e != UInt8(ascii: "E")
        }
    }
}

extension FastJSONFeed {
    /// A scanner over one line that reuses `buffer`'s storage for escaped strings.
    init(line: UnsafeBufferPointer<UInt8>, buffer: [UInt8]) {
        p = line
        n = line.count
        base = ""
        buf = buffer
    }
}
