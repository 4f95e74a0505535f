/// A plain-text table for terminals: columns padded to their widest cell, long cells cut
/// with an ellipsis at a column's limit. Every cell is shown through `TerminalText.escape`
/// (line breaks inside a cell become spaces first), so no cell can move the cursor.
///
/// With `width`, the table is fitted: the columns in `shrinkable` are narrowed in that order down
/// to `minimumShrunk` characters; if the lines are still too long, the columns in `droppable` are
/// left out in that order; then the `lastResort` steps narrow columns further (column, least
/// width), in order. Cut cells end with "…".
struct TextTable {
    var headers: [String]
    var limits: [Int]
    var rows: [[String]] = []
    /// Columns that give way when the table is wider than `width`, in the order they give way.
    var shrinkable: [Int] = []
    var minimumShrunk = 12
    /// Columns left out, in this order, when shrinking is not enough.
    var droppable: [Int] = []
    /// Further narrowing after the drops: (column, least width) in order; by default the
    /// shrinkable columns down to 4.
    var lastResort: [(column: Int, minimum: Int)]? = nil

    static let gap = 2

    func render(width: Int? = nil) -> String {
        var cut = ([headers] + rows).map { row in
            row.enumerated().map { index, cell in
                Self.cut(TerminalText.escape(cell.split(whereSeparator: \.isNewline).joined(separator: " ")),
                         to: index < limits.count ? limits[index] : 80)
            }
        }
        var widths = Self.widths(cut, columns: headers.count)
        var kept = Array(headers.indices)
        if let width, width > 0 {
            func total() -> Int { kept.map { widths[$0] }.reduce(0, +) + Self.gap * max(0, kept.count - 1) }
            func shrink(_ steps: [(column: Int, minimum: Int)]) {
                for (column, minimum) in steps where total() > width && kept.contains(column) && column < widths.count {
                    widths[column] = min(widths[column], max(minimum, widths[column] - (total() - width)))
                }
            }
            shrink(shrinkable.map { ($0, minimumShrunk) })
            for column in droppable where total() > width { kept.removeAll { $0 == column } }
            shrink(lastResort ?? shrinkable.map { ($0, 4) })
            cut = cut.map { row in row.enumerated().map { i, cell in i < widths.count ? Self.cut(cell, to: widths[i]) : cell } }
            widths = Self.widths(cut, columns: headers.count)
        }
        return cut.map { row in
            let cells = kept.filter { $0 < row.count }
            return cells.enumerated().map { position, i in
                position == cells.count - 1 ? row[i] : row[i] + String(repeating: " ", count: widths[i] - row[i].count)
            }.joined(separator: String(repeating: " ", count: Self.gap))
        }.joined(separator: "\n") + "\n"
    }

    static func cut(_ text: String, to limit: Int) -> String {
        text.count > limit ? String(text.prefix(max(0, limit - 1))) + "…" : text
    }

    static func widths(_ rows: [[String]], columns: Int) -> [Int] {
        var widths = [Int](repeating: 0, count: columns)
        for row in rows { for (i, cell) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], cell.count) } }
        return widths
    }
}

/// "5m", "3h", "2d": how long ago, for tables; `precise` adds the next unit ("2h 10m", "3d 4h").
public enum Age {
    public static func short(_ seconds: Double, precise: Bool = false) -> String {
        let s = max(0, seconds)
        if s < 60 { return "\(Int(s))s" }
        if s < 3600 { return "\(Int(s / 60))m" }
        if s < 86400 {
            let h = Int(s / 3600), m = Int(s.truncatingRemainder(dividingBy: 3600) / 60)
            return precise && m > 0 ? "\(h)h \(m)m" : "\(h)h"
        }
        let d = Int(s / 86400), h = Int(s.truncatingRemainder(dividingBy: 86400) / 3600)
        return precise && h > 0 ? "\(d)d \(h)h" : "\(d)d"
    }
}
