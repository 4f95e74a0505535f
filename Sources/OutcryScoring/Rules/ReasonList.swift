import OutcryModel

/// A text's reasons as the engine makes them, without a `String` per reason: each one is a rule
/// (an index into `ReasonList.names`), a weight, and its evidence's UTF-8 bytes in one shared
/// byte array. `reasons()` makes the `Reason` values of a `Score` (the same strings as before);
/// `outcry score` writes the answer's bytes straight from the list (`ScoreLine.answer`).
final class ReasonList {
    struct Record {
        var rule: Int32
        var start: Int32
        var count: Int32
        var weight: Double
    }

    /// The reasons, `count` of them.
    private(set) var records: UnsafeMutablePointer<Record>
    private(set) var count = 0
    private var recordCapacity = 24
    /// The evidence bytes, `byteCount` of them. Each allocation holds `slack` bytes more than
    /// its capacity, so that a reader may load 16 bytes at a time past the last evidence byte.
    private(set) var bytes: UnsafeMutablePointer<UInt8>
    private(set) var byteCount = 0
    private var byteCapacity = 1024
    static let slack = 32

    /// Whether an evidence byte may need escaping in a JSON string: set for a text with an
    /// emoticon holding `"` or `\` (the only such bytes a token can hold: words are letters,
    /// digits, `'` and `-`; emoji and other letters are non-ASCII) and by any evidence made as a
    /// string; fixed text, numbers and marks never need it.
    var mayNeedEscaping = false

    /// One allocation holds the first records and bytes; a list that outgrows either part moves
    /// that part to an allocation of its own.
    private let block: UnsafeMutableRawPointer
    private var recordsMoved = false
    private var bytesMoved = false

    init() {
        let recordBytes = recordCapacity * MemoryLayout<Record>.stride
        block = .allocate(byteCount: recordBytes + byteCapacity + Self.slack, alignment: MemoryLayout<Record>.alignment)
        records = block.bindMemory(to: Record.self, capacity: recordCapacity)
        bytes = (block + recordBytes).bindMemory(to: UInt8.self, capacity: byteCapacity)
    }

    deinit {
        if recordsMoved { records.deallocate() }
        if bytesMoved { bytes.deallocate() }
        block.deallocate()
    }

    // MARK: Rules

    /// The rules the engine names, in `names` order; urgency and complaint rules follow.
    enum Rule: Int32, CaseIterable {
        case language, lexicon, emphasis, negation, idiom, emoji, emoticon, contrast, punctuation
        case complaintNegativeTone, complaintTone, modelSentiment, modelComplaint, modelUncertain

        var name: String {
            switch self {
            case .language: "language"
            case .lexicon: "lexicon"
            case .emphasis: "emphasis"
            case .negation: "negation"
            case .idiom: "idiom"
            case .emoji: "emoji"
            case .emoticon: "emoticon"
            case .contrast: "contrast"
            case .punctuation: "punctuation"
            case .complaintNegativeTone: "complaint.negative_tone"
            case .complaintTone: "complaint.tone"
            case .modelSentiment: "model.sentiment"
            case .modelComplaint: "model.complaint"
            case .modelUncertain: "model.uncertain"
            }
        }
    }

    static let urgencyBase = Int32(Rule.allCases.count)
    static let complaintBase = urgencyBase + Int32(UrgencyCategory.ordered.count)

    /// Every rule name, by index.
    static let names: [String] = Rule.allCases.map(\.name)
        + UrgencyCategory.ordered.map { "urgency." + $0.rawValue }
        + ComplaintCue.ordered.map { "complaint." + $0.rawValue }

    /// Each rule name as a JSON string (quoted, escaped), by index: bytes `offsets[i]..<offsets[i + 1]`.
    struct JSONNames: @unchecked Sendable {
        let bytes: UnsafeMutablePointer<UInt8>
        let offsets: UnsafeMutablePointer<Int>
    }

    static let json: JSONNames = {
        var all: [UInt8] = []
        var offsets = [0]
        for name in names {
            ScoreLine.appendString(name, into: &all)
            offsets.append(all.count)
        }
        let bytes = UnsafeMutablePointer<UInt8>.allocate(capacity: all.count)  // kept for the process's life
        bytes.initialize(from: all, count: all.count)
        let o = UnsafeMutablePointer<Int>.allocate(capacity: offsets.count)
        o.initialize(from: offsets, count: offsets.count)
        return JSONNames(bytes: bytes, offsets: o)
    }()

    /// Each rule's start of a reason in an answer, `,{"rule":NAME,"evidence":"` (the name as a
    /// JSON string), by index: bytes `prefixStride * i ..< prefixStride * i + prefixCounts[i]`,
    /// each entry padded with zeros to `prefixStride` bytes and the table followed by a spare
    /// entry, so that `prefixStride` bytes may be read from any entry's start or the byte after
    /// it (`ScoreLine.encode` copies them in 16-byte pieces).
    struct JSONPrefixes: @unchecked Sendable {
        let bytes: UnsafeMutablePointer<UInt8>
        let counts: UnsafeMutablePointer<Int>
    }

    static let prefixStride = 64

    static let prefixes: JSONPrefixes = {
        let bytes = UnsafeMutablePointer<UInt8>.allocate(capacity: prefixStride * (names.count + 1))  // kept for the process's life
        bytes.initialize(repeating: 0, count: prefixStride * (names.count + 1))
        let counts = UnsafeMutablePointer<Int>.allocate(capacity: names.count)
        for (i, name) in names.enumerated() {
            var entry = Array(",{\"rule\":".utf8)
            ScoreLine.appendString(name, into: &entry)
            entry += Array(",\"evidence\":\"".utf8)
            precondition(entry.count <= prefixStride, "a rule name too long for the answer's prefix table")
            (bytes + prefixStride * i).update(from: entry, count: entry.count)
            counts[i] = entry.count
        }
        return JSONPrefixes(bytes: bytes, counts: counts)
    }()

    // MARK: Building

    /// The last reason's rule.
    var lastRule: Int32? { count > 0 ? records[count - 1].rule : nil }

    /// Ends a reason whose evidence was appended from byte `start`.
    @inline(__always) func commit(_ rule: Int32, from start: Int, weight: Double) {
        if count == recordCapacity {
            let grown = UnsafeMutablePointer<Record>.allocate(capacity: 2 * recordCapacity)
            grown.moveInitialize(from: records, count: count)
            if recordsMoved { records.deallocate() }
            recordsMoved = true
            records = grown
            recordCapacity *= 2
        }
        records[count] = Record(rule: rule, start: Int32(start), count: Int32(byteCount - start), weight: weight)
        count += 1
    }

    @inline(__always) func commit(_ rule: Rule, from start: Int, weight: Double) {
        commit(rule.rawValue, from: start, weight: weight)
    }

    /// A reason with fixed evidence.
    func add(_ rule: Rule, _ evidence: StaticString, weight: Double) {
        let start = byteCount
        append(evidence)
        commit(rule, from: start, weight: weight)
    }

    /// A reason with evidence made as a string.
    func add(_ rule: Rule, text evidence: String, weight: Double) {
        let start = byteCount
        appendText(evidence)
        commit(rule, from: start, weight: weight)
    }

    /// Room for `n` more evidence bytes.
    @inline(__always) func reserve(_ n: Int) {
        if byteCount + n > byteCapacity { grow(byteCount + n) }
    }

    private func grow(_ needed: Int) {
        var capacity = 2 * byteCapacity
        while capacity < needed { capacity *= 2 }
        let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity + Self.slack)
        grown.update(from: bytes, count: byteCount)
        if bytesMoved { bytes.deallocate() }
        bytesMoved = true
        bytes = grown
        byteCapacity = capacity
    }

    @inline(__always) func byte(_ b: UInt8) {
        reserve(1)
        bytes[byteCount] = b
        byteCount += 1
    }

    @inline(__always) func append(_ p: UnsafePointer<UInt8>, _ n: Int) {
        reserve(n)
        (bytes + byteCount).update(from: p, count: n)
        byteCount += n
    }

    @inline(__always) func append(_ s: StaticString) {
        append(s.utf8Start, s.utf8CodeUnitCount)
    }

    /// (Not `append`: a string literal would pick a `String` overload over `StaticString`.)
    @inline(__always) func appendText(_ s: String) {
        mayNeedEscaping = true
        var s = s
        s.withUTF8 { append($0.baseAddress ?? UnsafePointer(bytes), $0.count) }
    }

    /// A string of the program's own that holds no `"`, `\` or control character (a label's
    /// raw value, a feature's name, the model's origin).
    @inline(__always) func appendPlainText(_ s: String) {
        var s = s
        s.withUTF8 { u in
            assert(!u.contains { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C }, "evidence text that needs escaping")
            append(u.baseAddress ?? UnsafePointer(bytes), u.count)
        }
    }

    /// `'…'`: the normalised text from token `first` to token `last`, quoted.
    @inline(__always) func appendQuote(
        _ norm: UnsafeMutablePointer<UInt8>, _ t: UnsafeMutablePointer<Token>, first: Int, last: Int
    ) {
        let a = Int(t[first].start)
        let n = Int(t[last].start + t[last].length) - a
        reserve(n + 2)
        let p = bytes + byteCount
        p[0] = 0x27
        (p + 1).update(from: norm + a, count: n)
        p[n + 1] = 0x27
        byteCount += n + 2
    }

    /// `ScoringEngine.fmt(x)` (`signed(x)` with `plus`).
    @inline(__always) func appendFormatted(_ x: Float, plus: Bool) {
        guard ScoringEngine.formattable(x) else { appendUnformattable(x, plus: plus); return }
        reserve(32)
        byteCount += ScoringEngine.fmtBytes(x, plus: plus, bytes + byteCount)
    }

    /// `appendFormatted` for a value `fmtBytes` does not write (Foundation's formatter).
    @inline(never) private func appendUnformattable(_ x: Float, plus: Bool) {
        appendText(plus ? ScoringEngine.signed(x) : ScoringEngine.fmt(x))
    }

    /// Empties the list for the next text, keeping its room.
    func reset() {
        count = 0
        byteCount = 0
        mayNeedEscaping = false
    }

    /// Drops reason `i`.
    func remove(at i: Int) {
        guard i < count else { return }
        (records + i).update(from: records + i + 1, count: count - i - 1)
        count -= 1
    }

    /// Drops the reasons from `i` on.
    func removeAll(from i: Int) { count = min(count, i) }

    // MARK: Reading

    /// The reasons as `Reason` values.
    func reasons() -> [Reason] {
        (0..<count).map { k in
            let r = records[k]
            return Reason(
                rule: Self.names[Int(r.rule)],
                evidence: String(decoding: UnsafeBufferPointer(start: bytes + Int(r.start), count: Int(r.count)), as: UTF8.self),
                weight: r.weight)
        }
    }

    /// Whether no evidence byte needs escaping in a JSON string (no control character, `"`
    /// or `\`): eight bytes at a time.
    func evidenceIsPlain() -> Bool {
        var k = 0
        let n = byteCount
        let ones: UInt64 = 0x0101_0101_0101_0101, high: UInt64 = 0x8080_8080_8080_8080
        while k + 8 <= n {
            let v = UnsafeRawPointer(bytes + k).loadUnaligned(as: UInt64.self)
            let quote = v ^ (ones &* 0x22), backslash = v ^ (ones &* 0x5C)
            let flagged = ((v &- ones &* 0x20) & ~v) | ((quote &- ones) & ~quote) | ((backslash &- ones) & ~backslash)
            if flagged & high != 0 { return false }
            k += 8
        }
        while k < n {
            let c = bytes[k]
            if c < 0x20 || c == UInt8(ascii: "\"") || c == UInt8(ascii: "\\") { return false }
            k += 1
        }
        return true
    }
}
