import OutcryModel

/// A text's reasons as the engine makes them, without a `String` per reason: each one is a rule
/// (an index into `ReasonList.names`), a weight, and its evidence's UTF-8 bytes in one shared
/// byte array. `reasons()` makes the `Reason` values of a `Score` (the same strings as before);
/// `outcry score` writes the answer's bytes straight from the list (`ScoreLine.answer`).
struct ReasonList {
    struct Record {
        var rule: Int32
        var start: Int32
        var count: Int32
        var weight: Double
    }

    var records: [Record] = []
    var bytes: [UInt8] = []

    init() {
        records.reserveCapacity(20)
        bytes.reserveCapacity(512)
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

    /// Each rule name as a JSON string (quoted, escaped), by index.
    static let json: [[UInt8]] = names.map { name in
        var out: [UInt8] = []
        ScoreLine.appendString(name, into: &out)
        return out
    }

    // MARK: Building

    var count: Int { records.count }

    /// The last reason's rule.
    var lastRule: Int32? { records.last?.rule }

    /// Ends a reason whose evidence was appended to `bytes` from `start`.
    @inline(__always) mutating func commit(_ rule: Int32, from start: Int, weight: Double) {
        records.append(Record(rule: rule, start: Int32(start), count: Int32(bytes.count - start), weight: weight))
    }

    @inline(__always) mutating func commit(_ rule: Rule, from start: Int, weight: Double) {
        commit(rule.rawValue, from: start, weight: weight)
    }

    /// A reason with fixed evidence.
    mutating func add(_ rule: Rule, _ evidence: StaticString, weight: Double) {
        let start = bytes.count
        append(evidence)
        commit(rule, from: start, weight: weight)
    }

    /// A reason with evidence made as a string.
    mutating func add(_ rule: Rule, _ evidence: String, weight: Double) {
        let start = bytes.count
        append(evidence)
        commit(rule, from: start, weight: weight)
    }

    @inline(__always) mutating func append(_ s: StaticString) {
        bytes.append(contentsOf: UnsafeBufferPointer(start: s.utf8Start, count: s.utf8CodeUnitCount))
    }

    @inline(__always) mutating func append(_ s: String) {
        var s = s
        s.withUTF8 { bytes.append(contentsOf: $0) }
    }

    @inline(__always) mutating func append(_ p: UnsafePointer<UInt8>, _ n: Int) {
        bytes.append(contentsOf: UnsafeBufferPointer(start: p, count: n))
    }

    /// `'…'`: the normalised text from token `first` to token `last`, quoted.
    @inline(__always) mutating func appendQuote(
        _ norm: UnsafeMutablePointer<UInt8>, _ t: UnsafeMutablePointer<Token>, first: Int, last: Int
    ) {
        let a = Int(t[first].start)
        let b = Int(t[last].start + t[last].length)
        bytes.append(0x27)
        bytes.append(contentsOf: UnsafeBufferPointer(start: norm + a, count: b - a))
        bytes.append(0x27)
    }

    /// `ScoringEngine.fmt(x)` (`signed(x)` with `plus`).
    mutating func appendFormatted(_ x: Float, plus: Bool) {
        guard ScoringEngine.formattable(x) else {
            append(plus ? ScoringEngine.signed(x) : ScoringEngine.fmt(x))
            return
        }
        var digits: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        withUnsafeMutableBytes(of: &digits) { raw in
            let p = raw.baseAddress!.assumingMemoryBound(to: UInt8.self)
            let n = ScoringEngine.fmtBytes(x, plus: plus, p)
            bytes.append(contentsOf: UnsafeBufferPointer(start: p, count: n))
        }
    }

    /// Drops reason `i`.
    mutating func remove(at i: Int) { records.remove(at: i) }

    /// Drops the reasons from `i` on.
    mutating func removeAll(from i: Int) { records.removeSubrange(i..<records.count) }

    // MARK: Reading

    /// The reasons as `Reason` values.
    func reasons() -> [Reason] {
        bytes.withUnsafeBufferPointer { b in
            records.map { r in
                Reason(
                    rule: Self.names[Int(r.rule)],
                    evidence: String(decoding: UnsafeBufferPointer(rebasing: b[Int(r.start)..<Int(r.start + r.count)]), as: UTF8.self),
                    weight: r.weight)
            }
        }
    }
}
