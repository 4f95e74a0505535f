import Foundation

/// Bar charts drawn on the server as SVG: no script, no external file; every label
/// is XML-escaped here, since the chart is placed in the page as markup.
enum ReportCharts {
    struct Bar {
        var label: String
        var value: Double
        var text: String
    }

    /// A horizontal bar chart, `title` for screen readers.
    static func bars(_ bars: [Bar], title: String, width: Int = 520) -> String {
        let rowHeight = 22, labelWidth = 150, top = 8
        let height = top * 2 + max(1, bars.count) * rowHeight
        let largest = max(bars.map(\.value).max() ?? 0, 1e-9)
        var svg = #"<svg xmlns="http://www.w3.org/2000/svg" role="img" width="\#(width)" height="\#(height)" viewBox="0 0 \#(width) \#(height)">"#
        svg += "<title>\(escape(title))</title>"
        if bars.isEmpty { svg += #"<text x="4" y="\#(top + 14)" font-size="12">no data</text>"# }
        for (index, bar) in bars.enumerated() {
            let y = top + index * rowHeight
            let length = Int((Double(width - labelWidth - 70) * max(0, bar.value) / largest).rounded())
            svg += #"<text x="\#(labelWidth - 6)" y="\#(y + 15)" font-size="12" text-anchor="end">\#(escape(String(bar.label.prefix(24))))</text>"#
            svg += #"<rect x="\#(labelWidth)" y="\#(y + 3)" width="\#(length)" height="16" fill="steelblue"></rect>"#
            svg += #"<text x="\#(labelWidth + length + 4)" y="\#(y + 15)" font-size="12">\#(escape(bar.text))</text>"#
        }
        return svg + "</svg>"
    }

    /// Text made safe inside SVG/HTML markup and attribute values: the queue rows' escaping
    /// (``QueueRowsHTML/escape(_:into:)``), after dropping the control characters XML cannot carry.
    static func escape(_ text: String) -> String {
        var scalars = String.UnicodeScalarView()
        scalars.append(contentsOf: text.unicodeScalars.filter { $0.value >= 0x20 || $0 == "\n" || $0 == "\t" })
        var out: [UInt8] = []
        QueueRowsHTML.escape(String(scalars), into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// One CSV file: a header and rows, cells quoted; a cell that a spreadsheet would run as a
    /// formula (`=`, `+`, `-`, `@`, tab, CR at its start) gets a leading `'`.
    static func csv(_ header: [String], _ rows: [[String]]) -> String {
        func cell(_ value: String) -> String {
            var v = value
            if let first = v.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first), Double(v) == nil { v = "'" + v }
            return "\"" + v.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return ([header] + rows).map { $0.map(cell).joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
    }
}
