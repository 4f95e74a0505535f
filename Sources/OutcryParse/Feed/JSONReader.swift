/// A small byte-level JSON reader (RFC 8259), faster than `JSONSerialization` for feeds and
/// strict about syntax. Nesting is limited to keep hostile input from exhausting the stack.
///
/// ```swift
/// let value = try JSONReader.parse(Array(#"{"a":[1,"x"]}"#.utf8))
/// value["a"]?[1]?.string   // "x"
/// ```
enum JSONValue {
    case null
    case bool(Bool)
    case number(Double, String)
    case string(String)
    case array([JSONValue])
    /// Members in document order; a repeated key keeps the last value (as a dictionary would).
    case object(KeyedPairs<JSONValue>)

    subscript(key: String) -> JSONValue? {
        if case .object(let o) = self { return o[key] }
        return nil
    }

    subscript(index: Int) -> JSONValue? {
        if case .array(let a) = self, a.indices.contains(index) { return a[index] }
        return nil
    }

    var string: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    var array: [JSONValue]? {
        if case .array(let a) = self { return a }
        return nil
    }

    var isObject: Bool {
        if case .object = self { return true }
        return false
    }
}

struct JSONReader {
    struct SyntaxError: Error, CustomStringConvertible {
        let message: String
        let offset: Int
        var description: String { "\(message) at byte \(offset)" }
    }

    static let maxDepth = 256

    private let d: [UInt8]
    private var i = 0
    private var depth = 0

    static func parse(_ bytes: [UInt8]) throws -> JSONValue {
        var r = JSONReader(d: bytes)
        if r.d.starts(with: [0xEF, 0xBB, 0xBF]) { r.i = 3 }
        r.skipSpace()
        let v = try r.value()
        r.skipSpace()
        if r.i != r.d.count { throw SyntaxError(message: "extra data after the JSON value", offset: r.i) }
        return v
    }

    private init(d: [UInt8]) { self.d = d }

    private mutating func skipSpace() {
        while i < d.count {
            let c = d[i]
            if c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 { i += 1 } else { break }
        }
    }

    private mutating func value() throws -> JSONValue {
        guard i < d.count else { throw SyntaxError(message: "unexpected end of data", offset: i) }
        switch d[i] {
        case UInt8(ascii: "{"): return try object()
        case UInt8(ascii: "["): return try array()
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        default: return try number()
        }
    }

    private mutating func literal(_ s: StaticString) throws {
        let n = s.utf8CodeUnitCount
        guard i + n <= d.count else { throw SyntaxError(message: "invalid literal", offset: i) }
        for k in 0..<n where d[i + k] != s.utf8Start[k] { throw SyntaxError(message: "invalid literal", offset: i) }
        i += n
    }

    private mutating func object() throws -> JSONValue {
        depth += 1
        defer { depth -= 1 }
        if depth > JSONReader.maxDepth { throw SyntaxError(message: "nesting too deep", offset: i) }
        i += 1
        var o = KeyedPairs<JSONValue>()
        skipSpace()
        if i < d.count && d[i] == UInt8(ascii: "}") { i += 1; return .object(o) }
        while true {
            skipSpace()
            guard i < d.count, d[i] == UInt8(ascii: "\"") else { throw SyntaxError(message: "expected a key", offset: i) }
            let k = try string()
            skipSpace()
            guard i < d.count, d[i] == UInt8(ascii: ":") else { throw SyntaxError(message: "expected ':'", offset: i) }
            i += 1
            skipSpace()
            let v = try value()
            o[k] = v
            skipSpace()
            guard i < d.count else { throw SyntaxError(message: "unterminated object", offset: i) }
            if d[i] == UInt8(ascii: ",") { i += 1; continue }
            if d[i] == UInt8(ascii: "}") { i += 1; return .object(o) }
            throw SyntaxError(message: "expected ',' or '}'", offset: i)
        }
    }

    private mutating func array() throws -> JSONValue {
        depth += 1
        defer { depth -= 1 }
        if depth > JSONReader.maxDepth { throw SyntaxError(message: "nesting too deep", offset: i) }
        i += 1
        var a: [JSONValue] = []
        skipSpace()
        if i < d.count && d[i] == UInt8(ascii: "]") { i += 1; return .array(a) }
        while true {
            skipSpace()
            a.append(try value())
            skipSpace()
            guard i < d.count else { throw SyntaxError(message: "unterminated array", offset: i) }
            if d[i] == UInt8(ascii: ",") { i += 1; continue }
            if d[i] == UInt8(ascii: "]") { i += 1; return .array(a) }
            throw SyntaxError(message: "expected ',' or ']'", offset: i)
        }
    }

    private mutating func string() throws -> String {
        i += 1
        let start = i
        while i < d.count {
            let c = d[i]
            if c == UInt8(ascii: "\"") {
                let s = String(decoding: d[start..<i], as: UTF8.self)
                i += 1
                return s
            }
            if c == UInt8(ascii: "\\") { break }
            if c < 0x20 { throw SyntaxError(message: "control character in string", offset: i) }
            i += 1
        }
        var buf = Array(d[start..<i])
        while i < d.count {
            let c = d[i]
            if c == UInt8(ascii: "\"") {
                i += 1
                return String(decoding: buf, as: UTF8.self)
            }
            if c < 0x20 { throw SyntaxError(message: "control character in string", offset: i) }
            if c != UInt8(ascii: "\\") {
                buf.append(c)
                i += 1
                continue
            }
            i += 1
            guard i < d.count else { break }
            let e = d[i]
            i += 1
            if let byte = JSONReader.simpleEscape(e) {
                buf.append(byte)
                continue
            }
            switch e {
            case UInt8(ascii: "u"):
                var code = try hex4()
                if (0xD800...0xDBFF).contains(code), i + 1 < d.count, d[i] == UInt8(ascii: "\\"), d[i + 1] == UInt8(ascii: "u") {
                    let save = i
                    i += 2
                    let low = try hex4()
                    if (0xDC00...0xDFFF).contains(low) {
                        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                    } else {
                        i = save
                    }
                }
                let scalar = Unicode.Scalar(code) ?? "\u{FFFD}"
                buf.append(contentsOf: String(Character(scalar)).utf8)
            default:
                throw SyntaxError(message: "invalid escape", offset: i - 1)
            }
        }
        throw SyntaxError(message: "unterminated string", offset: i)
    }

    /// The byte a one-letter JSON escape stands for (`n` after a backslash is a line feed); nil
    /// for `u` and anything invalid. Shared with the feed fast path's JSON reader.
    static func simpleEscape(_ letter: UInt8) -> UInt8? {
        switch letter {
        case UInt8(ascii: "\""): 0x22
        case UInt8(ascii: "\\"): 0x5C
        case UInt8(ascii: "/"): 0x2F
        case UInt8(ascii: "b"): 0x08
        case UInt8(ascii: "f"): 0x0C
        case UInt8(ascii: "n"): 0x0A
        case UInt8(ascii: "r"): 0x0D
        case UInt8(ascii: "t"): 0x09
        default: nil
        }
    }

    private mutating func hex4() throws -> UInt32 {
        guard let value = Self.hex4(d, at: i) else { throw SyntaxError(message: "invalid \\u escape", offset: i) }
        i += 4
        return value
    }

    /// The four hex digits of a `\u` escape at `start`; nil when there are not four. Shared with
    /// the feed fast path's JSON reader.
    static func hex4<C: RandomAccessCollection>(_ bytes: C, at start: Int) -> UInt32? where C.Element == UInt8, C.Index == Int {
        guard start >= bytes.startIndex, start + 4 <= bytes.endIndex else { return nil }
        var value: UInt32 = 0
        for c in bytes[start..<(start + 4)] {
            let digit: UInt32
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(c - 48)
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(c - 87)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(c - 55)
            default: return nil
            }
            value = value << 4 | digit
        }
        return value
    }

    private mutating func number() throws -> JSONValue {
        let start = i
        if i < d.count && d[i] == UInt8(ascii: "-") { i += 1 }
        let intStart = i
        while i < d.count, d[i] >= 0x30, d[i] <= 0x39 { i += 1 }
        guard i > intStart else { throw SyntaxError(message: "unexpected character", offset: start) }
        if i < d.count && d[i] == UInt8(ascii: ".") {
            i += 1
            let f = i
            while i < d.count, d[i] >= 0x30, d[i] <= 0x39 { i += 1 }
            guard i > f else { throw SyntaxError(message: "invalid number", offset: start) }
        }
        if i < d.count && (d[i] == UInt8(ascii: "e") || d[i] == UInt8(ascii: "E")) {
            i += 1
            if i < d.count && (d[i] == UInt8(ascii: "+") || d[i] == UInt8(ascii: "-")) { i += 1 }
            let f = i
            while i < d.count, d[i] >= 0x30, d[i] <= 0x39 { i += 1 }
            guard i > f else { throw SyntaxError(message: "invalid number", offset: start) }
        }
        let text = String(decoding: d[start..<i], as: UTF8.self)
        return .number(Double(text) ?? 0, text)
    }
}
