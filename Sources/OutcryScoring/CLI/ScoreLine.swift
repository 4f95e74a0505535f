import Foundation
import OutcryModel

/// The `outcry score` line contract: one JSON object in, one JSON object out.
///
/// Input: `{"id","text"[,"author","source","lang"]}`. Output, keys in this order:
/// `{"id","sentiment":{"compound","label"},"complaint":{"is_complaint","score"},"urgency":[…],
/// "severity","reasons":[{"rule","evidence","weight"}]}`. A line that is not a JSON object
/// with a string `text` gives `{"line":N,"error":"…"}` (with `"id"` when one could be read),
/// so a caller can keep going.
public enum ScoreLine {
    /// Maps one input line (without its newline) to one output line (without newline).
    public static func process(_ line: some StringProtocol, lineNumber: Int, scorer: Scorer) -> String {
        process(Data(line.utf8), lineNumber: lineNumber, scorer: scorer)
    }

    public static func process(_ line: Data, lineNumber: Int, scorer: Scorer) -> String {
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: line, options: [])
        } catch {
            return errorLine(lineNumber, id: nil, "invalid JSON")
        }
        guard let dict = object as? [String: Any] else { return errorLine(lineNumber, id: nil, "expected a JSON object") }
        let id = dict["id"].map(encodeID) ?? "null"
        guard let text = dict["text"] as? String else {
            return errorLine(lineNumber, id: id, "missing string field \"text\"")
        }
        let lang = dict["lang"] as? String
        let score = scorer.score(text: text, language: lang)
        return encode(id: id, score)
    }

    /// The output object for a score, `id` already encoded as JSON.
    public static func encode(id: String, _ s: Score) -> String {
        var o = "{\"id\":" + id
        o += ",\"sentiment\":{\"compound\":" + number(s.sentiment.compound) + ",\"label\":\"" + s.sentiment.label.rawValue + "\"}"
        o += ",\"complaint\":{\"is_complaint\":" + (s.complaint.isComplaint ? "true" : "false") + ",\"score\":" + number(s.complaint.score) + "}"
        o += ",\"urgency\":[" + s.urgency.map { "\"" + $0.rawValue + "\"" }.joined(separator: ",") + "]"
        o += ",\"severity\":\"" + s.severity.rawValue + "\""
        o += ",\"reasons\":["
        for (i, r) in s.reasons.enumerated() {
            if i > 0 { o += "," }
            o += "{\"rule\":" + string(r.rule) + ",\"evidence\":" + string(r.evidence) + ",\"weight\":" + number(r.weight) + "}"
        }
        return o + "]}"
    }

    /// Appends the output object for a score to `out`, the same bytes as `encode(id:_:)`;
    /// `id` is already JSON (`"a"`, `12`, `null`). The line is written through a pointer into
    /// room reserved for its longest possible form (every string byte escaped as `\u00XX`) and
    /// appended to `out` once.
    public static func encode(id: UnsafeBufferPointer<UInt8>, _ s: Score, into out: inout [UInt8]) {
        // Fixed text and three numbers (at most 32 bytes each), the id, the short names, and per
        // reason its fixed text (34 bytes), a number and two strings escaped at worst.
        var bound = headBound(id: id, s.sentiment, s.urgency, s.severity)
        for r in s.reasons { bound += 96 + 6 * (r.rule.utf8.count + r.evidence.utf8.count) }
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: bound) { buffer in
            var w = ByteCursor(buffer.baseAddress!)
            w.head(id: id, s.sentiment, s.complaint, s.urgency, s.severity)
            for (i, r) in s.reasons.enumerated() {
                if i > 0 { w.byte(UInt8(ascii: ",")) }
                w.reason(r)
            }
            w.put("]}")
            out.append(contentsOf: UnsafeBufferPointer(start: buffer.baseAddress!, count: w.count(from: buffer.baseAddress!)))
        }
    }

    /// The answer for the engine's figures, its reasons and the severity's reasons (`more`): the
    /// bytes `encode(id:_:into:)` writes for the `Score` that `Scorer.score(utf8:)` makes of them.
    static func encode(
        id: UnsafeBufferPointer<UInt8>, _ t: TextScore, severity: Severity, more: [Reason], into out: inout [UInt8],
        scratch: UnsafeMutableBufferPointer<UInt8>
    ) {
        let list = t.reasons
        let names = ReasonList.json
        var bound = headBound(id: id, t.sentiment, t.urgency, severity) + 96 * list.count + 6 * list.byteCount
        for k in 0..<list.count { let r = Int(list.records[k].rule); bound += names.offsets[r + 1] - names.offsets[r] }
        for r in more { bound += 96 + 6 * (r.rule.utf8.count + r.evidence.utf8.count) }
        // Most texts' evidence needs no escaping at all: then each piece is copied as it is.
        let plain = !list.mayNeedEscaping || list.evidenceIsPlain()
        // The answer is made in the caller's scratch space when it is large enough.
        if scratch.count >= bound {
            write(UnsafeMutableBufferPointer(rebasing: scratch[0..<bound]))
        } else {
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: bound) { write($0) }
        }
        func write(_ buffer: UnsafeMutableBufferPointer<UInt8>) {
            var w = ByteCursor(buffer.baseAddress!)
            w.head(id: id, t.sentiment, t.complaint, t.urgency, severity)
            let prefixes = ReasonList.prefixes
            for k in 0..<list.count {
                let r = list.records[k]
                // `,{"rule":NAME,"evidence":"` from the rule's table entry (without the comma
                // for the first reason), copied whole in 16-byte pieces: the room reserved for
                // a reason holds them.
                let skip = k == 0 ? 1 : 0
                w.put16(prefixes.bytes + ReasonList.prefixStride * Int(r.rule) + skip, ReasonList.prefixStride,
                        advance: prefixes.counts[Int(r.rule)] - skip - (plain ? 0 : 1))
                let evidence = list.bytes + Int(r.start)
                if plain {
                    // The list's allocation holds 16 bytes past its last evidence byte.
                    w.put16(evidence, Int(r.count), advance: Int(r.count))
                    w.put("\",\"weight\":")
                } else {
                    w.string(utf8: UnsafeBufferPointer(start: evidence, count: Int(r.count)))
                    w.put(",\"weight\":")
                }
                w.number(r.weight)
                w.byte(UInt8(ascii: "}"))
            }
            for (i, r) in more.enumerated() {
                if i > 0 || list.count > 0 { w.byte(UInt8(ascii: ",")) }
                w.reason(r)
            }
            w.put("]}")
            out.append(contentsOf: UnsafeBufferPointer(start: buffer.baseAddress!, count: w.count(from: buffer.baseAddress!)))
        }
    }

    /// Room for an answer's fixed text, three numbers (at most 32 bytes each), the id and the
    /// short names; the reasons come on top.
    static func headBound(id: UnsafeBufferPointer<UInt8>, _ sentiment: Sentiment, _ urgency: [UrgencyCategory], _ severity: Severity) -> Int {
        var bound = 256 + id.count + sentiment.label.rawValue.utf8.count + severity.rawValue.utf8.count
        for u in urgency { bound += 4 + u.rawValue.utf8.count }
        return bound
    }

    /// Writes bytes through a pointer into room the caller has reserved.
    struct ByteCursor {
        var p: UnsafeMutablePointer<UInt8>

        init(_ p: UnsafeMutablePointer<UInt8>) { self.p = p }

        /// An answer up to its reasons' list (`…,"reasons":[`).
        mutating func head(
            id: UnsafeBufferPointer<UInt8>, _ sentiment: Sentiment, _ complaint: ComplaintIntent, _ urgency: [UrgencyCategory],
            _ severity: Severity
        ) {
            put("{\"id\":")
            put(id)
            put(",\"sentiment\":{\"compound\":")
            number(sentiment.compound)
            put(",\"label\":\"")
            switch sentiment.label {  // the raw values, without making a string
            case .negative: put("negative")
            case .neutral: put("neutral")
            case .positive: put("positive")
            }
            put("\"},\"complaint\":{\"is_complaint\":")
            if complaint.isComplaint { put("true") } else { put("false") }
            put(",\"score\":")
            number(complaint.score)
            put("},\"urgency\":[")
            for (i, u) in urgency.enumerated() {
                if i > 0 { byte(UInt8(ascii: ",")) }
                byte(UInt8(ascii: "\""))
                putText(u.rawValue)
                byte(UInt8(ascii: "\""))
            }
            put("],\"severity\":\"")
            switch severity {
            case .p1: put("P1")
            case .p2: put("P2")
            case .p3: put("P3")
            case .p4: put("P4")
            case .none: put("none")
            }
            put("\",\"reasons\":[")
        }

        func count(from start: UnsafeMutablePointer<UInt8>) -> Int { start.distance(to: p) }

        @inline(__always) mutating func byte(_ b: UInt8) {
            p.pointee = b
            p += 1
        }

        @inline(__always) mutating func put(_ t: StaticString) {
            p.update(from: t.utf8Start, count: t.utf8CodeUnitCount)
            p += t.utf8CodeUnitCount
        }

        /// Copies `count` bytes (rounded up to whole 16-byte pieces, which both sides must hold)
        /// from `q` and moves on by `advance` bytes.
        @inline(__always) mutating func put16(_ q: UnsafePointer<UInt8>, _ count: Int, advance: Int) {
            var i = 0
            while i < count {
                let v = UnsafeRawPointer(q + i).loadUnaligned(as: SIMD16<UInt8>.self)
                UnsafeMutableRawPointer(p + i).storeBytes(of: v, as: SIMD16<UInt8>.self)
                i += 16
            }
            p += advance
        }

        @inline(__always) mutating func put(_ u: UnsafeBufferPointer<UInt8>) {
            guard let base = u.baseAddress else { return }
            p.update(from: base, count: u.count)
            p += u.count
        }

        /// (Not `put`: a string literal would pick a `String` overload over `StaticString`.)
        @inline(__always) mutating func putText(_ t: String) {
            var t = t
            t.withUTF8 { put($0) }
        }

        /// One reason: `{"rule":…,"evidence":…,"weight":…}`.
        mutating func reason(_ r: Reason) {
            put("{\"rule\":")
            string(r.rule)
            put(",\"evidence\":")
            string(r.evidence)
            put(",\"weight\":")
            number(r.weight)
            byte(UInt8(ascii: "}"))
        }

        mutating func string(_ t: String) {
            var t = t
            t.withUTF8 { string(utf8: $0) }
        }

        /// `u` (valid UTF-8) as a JSON string, escaped as `ScoreLine.string(_:)` escapes: at most
        /// 6 bytes a byte plus the quotes.
        mutating func string(utf8 u: UnsafeBufferPointer<UInt8>) {
            byte(UInt8(ascii: "\""))
            guard let base = u.baseAddress else { byte(UInt8(ascii: "\"")); return }
            var plain = 0
            var k = 0
            let n = u.count
            while k < n {
                // Eight bytes at a time while none of them is a control character, `"` or `\`
                // (each test may flag a byte after a flagged one, never miss one).
                while k + 8 <= n {
                    let v = UnsafeRawPointer(base + k).loadUnaligned(as: UInt64.self)
                    let ones: UInt64 = 0x0101_0101_0101_0101, high: UInt64 = 0x8080_8080_8080_8080
                    let quote = v ^ (ones &* 0x22), backslash = v ^ (ones &* 0x5C)
                    let flagged = ((v &- ones &* 0x20) & ~v) | ((quote &- ones) & ~quote) | ((backslash &- ones) & ~backslash)
                    if flagged & high != 0 { break }
                    k += 8
                }
                if k >= n { break }
                let c = base[k]
                if c >= 0x20 && c != UInt8(ascii: "\"") && c != UInt8(ascii: "\\") { k += 1; continue }
                if k > plain { p.update(from: base + plain, count: k - plain); p += k - plain }
                k += 1
                plain = k
                byte(UInt8(ascii: "\\"))
                switch c {
                case UInt8(ascii: "\""): byte(UInt8(ascii: "\""))
                case UInt8(ascii: "\\"): byte(UInt8(ascii: "\\"))
                case 0x0A: byte(UInt8(ascii: "n"))
                case 0x0D: byte(UInt8(ascii: "r"))
                case 0x09: byte(UInt8(ascii: "t"))
                default:
                    let hex: StaticString = "0123456789abcdef"
                    byte(UInt8(ascii: "u")); byte(0x30); byte(0x30)
                    byte(hex.utf8Start[Int(c >> 4)]); byte(hex.utf8Start[Int(c & 15)])
                }
            }
            if n > plain { p.update(from: base + plain, count: n - plain); p += n - plain }
            byte(UInt8(ascii: "\""))
        }

        /// `ScoreLine.number(x)`'s bytes (at most 32). The usual number, below 100 in
        /// magnitude, is written here, inlined into the writer; any other goes to `numberRest`
        /// (which writes every number the same way).
        @inline(__always) mutating func number(_ x: Double) {
            let v = x * 10_000
            guard abs(v) < 999_999 else { numberRest(x); return }  // NaN and infinities too
            // n = v rounded half away from zero (as in `numberRest`): |n| < 10^6, below 100 whole.
            var n = Int(v)
            let fraction = v - Double(n)
            if fraction >= 0.5 { n += 1 } else if fraction <= -0.5 { n -= 1 }
            if n < 0 { byte(UInt8(ascii: "-")); n = -n }
            let whole = n / 10_000
            let pairs = ScoreLine.digitPairs.utf8Start
            if whole < 10 {
                byte(UInt8(truncatingIfNeeded: 0x30 + whole))
            } else {
                p[0] = pairs[2 * whole]; p[1] = pairs[2 * whole + 1]; p += 2
            }
            fourDecimals(n - whole * 10_000)
        }

        /// ".dddd" for a fraction f of 10^4 (0 writes nothing), written whole (the room holds
        /// it), then its trailing zeros dropped.
        @inline(__always) mutating func fourDecimals(_ f: Int) {
            if f == 0 { return }
            let pairs = ScoreLine.digitPairs.utf8Start
            let hi = f / 100, lo = f - hi * 100
            p[0] = UInt8(ascii: ".")
            p[1] = pairs[2 * hi]; p[2] = pairs[2 * hi + 1]
            p[3] = pairs[2 * lo]; p[4] = pairs[2 * lo + 1]
            let zero = UInt8(ascii: "0")
            p += lo != 0 ? (p[4] != zero ? 5 : 4) : (p[2] != zero ? 3 : 2)
        }

        /// `number(x)` for any x (out of line: its large-number paths use stack room).
        @inline(never) mutating func numberRest(_ x: Double) {
            guard x.isFinite else { byte(UInt8(ascii: "0")); return }
            let v = x * 10_000
            if abs(v) < 1e13 {
                // n = v rounded half away from zero, as `rounded()` does (v minus its truncation
                // is exact below 2^52), without a call into the C library.
                var n = Int(v)
                let fraction = v - Double(n)
                if fraction >= 0.5 { n += 1 } else if fraction <= -0.5 { n -= 1 }
                if n > -10_000_000_000_000 && n < 10_000_000_000_000 {
                    // Below 10^9 a non-zero n mod 10^4 keeps n / 10^4 off the integers, so the
                    // two ways below are the integer one and the fraction one of the general path.
                    if n < 0 { byte(UInt8(ascii: "-")); n = -n }
                    let whole = n / 10_000
                    let pairs = ScoreLine.digitPairs.utf8Start
                    if whole < 10 {
                        byte(UInt8(truncatingIfNeeded: 0x30 + whole))
                    } else if whole < 100 {
                        p[0] = pairs[2 * whole]; p[1] = pairs[2 * whole + 1]; p += 2
                    } else {
                        digits(whole)
                    }
                    fourDecimals(n - whole * 10_000)
                    return
                }
            }
            let scaled = (x * 10_000).rounded()
            let r = scaled / 10_000
            if r == r.rounded() && abs(r) < 1e15 {
                digits(Int(r))
                return
            }
            // r is the double nearest n / 10^4 (n = scaled, exact below 2^53); below 10^9 the
            // doubles are far closer together than 10^-4, so the shortest decimal that reads
            // back as r — what `description` prints — is n / 10^4 with its trailing zeros
            // dropped (ScoreLineTests holds this against `description`).
            if abs(scaled) < 1e13 {
                var n = Int(scaled)
                if n < 0 { byte(UInt8(ascii: "-")); n = -n }
                digits(n / 10_000)
                var f = n % 10_000
                var places = 4
                while f % 10 == 0 { f /= 10; places -= 1 }
                byte(UInt8(ascii: "."))
                var divisor = 1
                for _ in 1..<places { divisor *= 10 }
                while divisor > 0 { byte(UInt8(truncatingIfNeeded: 0x30 + f / divisor)); f %= divisor; divisor /= 10 }
                return
            }
            putText(r.description)
        }

        /// A non-negative or negative integer in decimal.
        @inline(__always) mutating func digits(_ value: Int) {
            var v = value
            if v == 0 { byte(UInt8(ascii: "0")); return }
            if v < 0 { byte(UInt8(ascii: "-")); v = -v }
            var d: (UInt64, UInt64, UInt64) = (0, 0, 0)
            withUnsafeMutableBytes(of: &d) { raw in
                let b = raw.bindMemory(to: UInt8.self)
                var k = 24
                while v > 0 { k -= 1; b[k] = UInt8(truncatingIfNeeded: 0x30 + v % 10); v /= 10 }
                p.update(from: b.baseAddress! + k, count: 24 - k)
                p += 24 - k
            }
        }
    }

    /// "00" to "99", two bytes a number.
    static let digitPairs: StaticString = "00010203040506070809101112131415161718192021222324252627282930313233343536373839404142434445464748495051525354555657585960616263646566676869707172737475767778798081828384858687888990919293949596979899"

    /// `number(x)`'s bytes.
    public static func appendNumber(_ x: Double, into out: inout [UInt8]) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 48) { b in
            var w = ByteCursor(b.baseAddress!)
            w.number(x)
            out.append(contentsOf: UnsafeBufferPointer(start: b.baseAddress!, count: w.count(from: b.baseAddress!)))
        }
    }

    /// `string(s)`'s bytes: `s` as a JSON string.
    public static func appendString(_ s: String, into out: inout [UInt8]) {
        var s = s
        s.withUTF8 { appendString(utf8: $0, into: &out) }
    }

    /// The UTF-8 bytes `u` (valid UTF-8) as a JSON string, escaped as `string(_:)` escapes.
    public static func appendString(utf8 u: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 2 + 6 * u.count) { b in
            var w = ByteCursor(b.baseAddress!)
            w.string(utf8: u)
            out.append(contentsOf: UnsafeBufferPointer(start: b.baseAddress!, count: w.count(from: b.baseAddress!)))
        }
    }

    static func errorLine(_ line: Int, id: String?, _ message: String) -> String {
        "{" + (id.map { "\"id\":" + $0 + "," } ?? "") + "\"line\":\(line),\"error\":" + string("line \(line): " + message) + "}"
    }

    /// A JSON value read by `JSONSerialization`, as the answer's `id` writes it.
    public static func encodeID(_ value: Any) -> String {
        if let s = value as? String { return string(s) }
        if let n = value as? NSNumber {
            return n.stringValue
        }
        if value is NSNull { return "null" }
        return string(String(describing: value))
    }

    static func number(_ x: Double) -> String {
        guard x.isFinite else { return "0" }
        let r = (x * 10_000).rounded() / 10_000
        if r == r.rounded() && abs(r) < 1e15 { return String(Int(r)) }
        return String(r)
    }

    static func string(_ s: String) -> String {
        var o = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": o += "\\\""
            case "\\": o += "\\\\"
            case "\n": o += "\\n"
            case "\r": o += "\\r"
            case "\t": o += "\\t"
            default:
                if u.value < 0x20 {
                    let hex = String(u.value, radix: 16)
                    o += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    o.unicodeScalars.append(u)
                }
            }
        }
        return o + "\""
    }
}
