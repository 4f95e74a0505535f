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
    /// `id` is already JSON (`"a"`, `12`, `null`).
    public static func encode(id: UnsafeBufferPointer<UInt8>, _ s: Score, into out: inout [UInt8]) {
        @inline(__always) func put(_ t: StaticString) {
            out.append(contentsOf: UnsafeBufferPointer(start: t.utf8Start, count: t.utf8CodeUnitCount))
        }
        @inline(__always) func put(_ t: String) {
            var t = t
            t.withUTF8 { out.append(contentsOf: $0) }
        }
        put("{\"id\":")
        out.append(contentsOf: id)
        put(",\"sentiment\":{\"compound\":")
        appendNumber(s.sentiment.compound, into: &out)
        put(",\"label\":\"")
        put(s.sentiment.label.rawValue)
        put("\"},\"complaint\":{\"is_complaint\":")
        put(s.complaint.isComplaint ? "true" : "false")
        put(",\"score\":")
        appendNumber(s.complaint.score, into: &out)
        put("},\"urgency\":[")
        for (i, u) in s.urgency.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            out.append(UInt8(ascii: "\""))
            put(u.rawValue)
            out.append(UInt8(ascii: "\""))
        }
        put("],\"severity\":\"")
        put(s.severity.rawValue)
        put("\",\"reasons\":[")
        for (i, r) in s.reasons.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            put("{\"rule\":")
            appendString(r.rule, into: &out)
            put(",\"evidence\":")
            appendString(r.evidence, into: &out)
            put(",\"weight\":")
            appendNumber(r.weight, into: &out)
            out.append(UInt8(ascii: "}"))
        }
        put("]}")
    }

    /// `number(x)`'s bytes.
    public static func appendNumber(_ x: Double, into out: inout [UInt8]) {
        guard x.isFinite else { out.append(UInt8(ascii: "0")); return }
        let r = (x * 10_000).rounded() / 10_000
        if r == r.rounded() && abs(r) < 1e15 {
            var v = Int(r)
            if v == 0 { out.append(UInt8(ascii: "0")); return }
            if v < 0 { out.append(UInt8(ascii: "-")); v = -v }
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { d in
                var k = 20
                while v > 0 { k -= 1; d[k] = UInt8(truncatingIfNeeded: 0x30 + v % 10); v /= 10 }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: d[k..<20]))
            }
            return
        }
        var t = r.description
        t.withUTF8 { out.append(contentsOf: $0) }
    }

    /// `string(s)`'s bytes: `s` as a JSON string.
    public static func appendString(_ s: String, into out: inout [UInt8]) {
        var s = s
        s.withUTF8 { appendString(utf8: $0, into: &out) }
    }

    /// The UTF-8 bytes `u` (valid UTF-8) as a JSON string, escaped as `string(_:)` escapes.
    public static func appendString(utf8 u: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var plain = 0
        for k in 0..<u.count {
            let c = u[k]
            if c >= 0x20 && c != UInt8(ascii: "\"") && c != UInt8(ascii: "\\") { continue }
            if k > plain { out.append(contentsOf: UnsafeBufferPointer(rebasing: u[plain..<k])) }
            plain = k + 1
            out.append(UInt8(ascii: "\\"))
            switch c {
            case UInt8(ascii: "\""): out.append(UInt8(ascii: "\""))
            case UInt8(ascii: "\\"): out.append(UInt8(ascii: "\\"))
            case 0x0A: out.append(UInt8(ascii: "n"))
            case 0x0D: out.append(UInt8(ascii: "r"))
            case 0x09: out.append(UInt8(ascii: "t"))
            default:
                let hex: [UInt8] = Array("0123456789abcdef".utf8)
                out.append(contentsOf: [UInt8(ascii: "u"), 0x30, 0x30, hex[Int(c >> 4)], hex[Int(c & 15)]])
            }
        }
        if u.count > plain { out.append(contentsOf: UnsafeBufferPointer(rebasing: u[plain..<u.count])) }
        out.append(UInt8(ascii: "\""))
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
