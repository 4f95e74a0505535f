/// A plain-text table for terminals: columns padded to their widest cell, long cells cut
/// with an ellipsis at a column's limit.
struct TextTable {
    var headers: [String]
    var limits: [Int]
    var rows: [[String]] = []

    func render() -> String {
        let cut = ([headers] + rows).map { row in
            row.enumerated().map { index, cell in
                let flat = cell.split(whereSeparator: \.isNewline).joined(separator: " ")
                let limit = index < limits.count ? limits[index] : 80
                return flat.count > limit ? String(flat.prefix(limit - 1)) + "…" : flat
            }
        }
        var widths = [Int](repeating: 0, count: headers.count)
        for row in cut { for (i, cell) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], cell.count) } }
        return cut.map { row in
            row.enumerated().map { i, cell in
                i == row.count - 1 ? cell : cell + String(repeating: " ", count: widths[i] - cell.count)
            }.joined(separator: "  ")
        }.joined(separator: "\n") + "\n"
    }
}

/// "5m", "3h", "2d": how long ago, for tables.
enum Age {
    static func short(_ seconds: Double) -> String {
        let s = max(0, seconds)
        if s < 60 { return "\(Int(s))s" }
        if s < 3600 { return "\(Int(s / 60))m" }
        if s < 86400 { return "\(Int(s / 3600))h" }
        return "\(Int(s / 86400))d"
    }
}
