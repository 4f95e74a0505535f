import OutcryModel

/// The queue table's rows, written directly: every value escaped as Mustache escapes
/// (`&`, `<`, `>`, `"`, `'`), the markup the same as the template's row section was. Rendering
/// 200 rows through Mustache's dynamic lookups took half of the queue page's CPU time.
enum QueueRowsHTML {
    struct Row {
        var id: ThreadID
        var severity: String, status: String, due: String, dueClass: String, dueTitle: String
        var deadline: String?
        var waiting: String, brand: String, channel: String, assignee: String, title: String, why: String
        var isNew: Bool
    }

    static func render(_ rows: [Row], canAct: Bool, csrfToken: String, returnPath: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(rows.count * 900)
        func raw(_ s: StaticString) { s.withUTF8Buffer { out.append(contentsOf: $0) } }
        func text(_ s: String) { escape(s, into: &out) }
        // The forms' hidden values, escaped once for every row.
        var hidden: [UInt8] = [], back: [UInt8] = []
        escape(csrfToken, into: &hidden)
        escape(returnPath, into: &back)
        let forms: ([UInt8], [UInt8]) = (hidden, back)
        for r in rows {
            let id = String(r.id)
            raw("<tr class=\"sev-"); text(r.severity); raw("\" data-thread=\""); text(id); raw("\">\n")
            raw("<td><a href=\"/threads/"); text(id); raw("\">"); text(id); raw("</a></td><td>"); text(r.severity)
            raw("</td><td>"); text(r.status); raw("</td><td class=\""); text(r.dueClass); raw("\" title=\""); text(r.dueTitle); raw("\"")
            if let deadline = r.deadline { raw(" data-deadline=\""); text(deadline); raw("\"") }
            raw(">"); text(r.due); raw("</td>\n")
            raw("<td>"); text(r.waiting); raw("</td><td>"); text(r.brand); raw("</td><td>"); text(r.channel); raw("</td><td>"); text(r.assignee)
            raw("</td><td><a href=\"/threads/"); text(id); raw("\">"); text(r.title); raw("</a></td><td>"); text(r.why); raw("</td>\n")
            if canAct {
                raw("<td>")
                if r.isNew {
                    raw("<form method=\"post\" action=\"/threads/"); text(id); raw("/ack\"><input type=\"hidden\" name=\"csrf\" value=\"")
                    out.append(contentsOf: forms.0); raw("\"><input type=\"hidden\" name=\"return\" value=\""); out.append(contentsOf: forms.1)
                    raw("\"><button type=\"submit\">Ack</button></form>")
                }
                raw("\n<form method=\"post\" action=\"/threads/"); text(id); raw("/assign\"><input type=\"hidden\" name=\"csrf\" value=\"")
                out.append(contentsOf: forms.0); raw("\"><input type=\"hidden\" name=\"return\" value=\""); out.append(contentsOf: forms.1)
                raw("\"><input name=\"to\" placeholder=\"person\" size=\"7\" required><button type=\"submit\">Assign</button></form></td>")
            }
            raw("\n</tr>")
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Mustache's HTML escaping, on bytes (the five characters are ASCII, so no UTF-8 sequence is split).
    static func escape(_ s: String, into out: inout [UInt8]) {
        for byte in s.utf8 {
            switch byte {
            case UInt8(ascii: "&"): out.append(contentsOf: [0x26, 0x61, 0x6D, 0x70, 0x3B])  // &amp;
            case UInt8(ascii: "<"): out.append(contentsOf: [0x26, 0x6C, 0x74, 0x3B])  // &lt;
            case UInt8(ascii: ">"): out.append(contentsOf: [0x26, 0x67, 0x74, 0x3B])  // &gt;
            case UInt8(ascii: "\""): out.append(contentsOf: [0x26, 0x71, 0x75, 0x6F, 0x74, 0x3B])  // &quot;
            case UInt8(ascii: "'"): out.append(contentsOf: [0x26, 0x23, 0x33, 0x39, 0x3B])  // &#39;
            default: out.append(byte)
            }
        }
    }
}
