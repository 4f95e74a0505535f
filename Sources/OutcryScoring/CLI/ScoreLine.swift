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

    static func errorLine(_ line: Int, id: String?, _ message: String) -> String {
        "{" + (id.map { "\"id\":" + $0 + "," } ?? "") + "\"line\":\(line),\"error\":" + string("line \(line): " + message) + "}"
    }

    static func encodeID(_ value: Any) -> String {
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
