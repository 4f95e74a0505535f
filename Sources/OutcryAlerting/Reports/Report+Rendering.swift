import Foundation

extension Report {
    /// The response-time rows as CSV (RFC 4180, CRLF line ends), durations in whole seconds.
    public func csv() -> String {
        var lines = [[
            "dimension", "key", "threads",
            "acknowledge_n", "acknowledge_p50_s", "acknowledge_p90_s",
            "first_response_n", "first_response_p50_s", "first_response_p90_s",
            "resolution_n", "resolution_p50_s", "resolution_p90_s",
            "sla_met", "sla_breached", "sla_attainment",
        ]]
        func p(_ x: Percentiles?) -> [String] {
            guard let x else { return ["0", "", ""] }
            return [String(x.count), Self.seconds(x.p50), Self.seconds(x.p90)]
        }
        for r in rows {
            lines.append([r.dimension.rawValue, r.key, String(r.threads)] + p(r.acknowledge) + p(r.firstResponse) + p(r.resolution)
                + [String(r.slaMet), String(r.slaBreached), r.slaAttainment.map { String(format: "%.4f", $0) } ?? ""])
        }
        return Self.csvText(lines)
    }

    /// The fairness view as CSV.
    public func fairnessCSV() -> String {
        var lines = [["dimension", "group", "threads", "median_wait_s", "others_threads", "others_median_wait_s", "ratio", "flagged", "explanation"]]
        for f in fairness {
            lines.append([f.dimension.rawValue, f.group, String(f.threads), Self.seconds(f.medianWait), String(f.othersThreads),
                          f.othersMedianWait.map(Self.seconds) ?? "", f.ratio.map { String(format: "%.4f", $0) } ?? "",
                          f.flagged ? "true" : "false", f.explanation])
        }
        return Self.csvText(lines)
    }

    /// The whole report as JSON (sorted keys, ISO 8601 dates, snake_case names).
    public func json() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return (try? encoder.encode(self)) ?? Data("{}".utf8)
    }

    static func seconds(_ t: TimeInterval) -> String { String(Int64(t.rounded())) }

    static func csvText(_ rows: [[String]]) -> String {
        rows.map { row in
            row.map { field in
                field.contains(where: { $0 == "," || $0 == "\"" || $0.isNewline })
                    ? "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
                    : field
            }.joined(separator: ",")
        }.joined(separator: "\r\n") + "\r\n"
    }
}

/// The report's tables by name, for `--table NAME` and one file per table.
public enum ReportTable: String, CaseIterable, Sendable {
    case responseTimes = "response_times"
    case breaches
    case fairness
    case volume
}

extension Report {
    /// One table as CSV (RFC 4180, CRLF line ends; durations in whole seconds, dates ISO 8601).
    public func csv(_ table: ReportTable) -> String {
        switch table {
        case .responseTimes: return csv()
        case .fairness: return fairnessCSV()
        case .breaches:
            var lines = [["thread", "policy", "clock", "episode", "deadline", "stopped_at"]]
            for b in breaches {
                lines.append([b.threadID, b.policy, b.clock.rawValue, String(b.episode), Self.iso(b.deadline), b.stoppedAt.map(Self.iso) ?? ""])
            }
            return Self.csvText(lines)
        case .volume:
            var lines = [["day", "brand", "mentions", "negative", "complaints", "mean_sentiment"]]
            for v in volume {
                lines.append([v.day, v.brand, String(v.mentions), String(v.negative), String(v.complaints), String(format: "%.4f", v.meanSentiment)])
            }
            return Self.csvText(lines)
        }
    }

    /// The report as readable tables for a terminal: human durations, attainment in percent,
    /// each table under its title, cells cut to fit `width` columns.
    public func text(width: Int = 100) -> String {
        var out = ""
        func table(_ title: String, _ header: [String], _ rows: [[String]], note: String? = nil) {
            out += title + "\n"
            if let note { out += note + "\n" }
            guard !rows.isEmpty else {
                out += "  (none)\n\n"
                return
            }
            out += TextGrid.render(header: header, rows: rows, width: width) + "\n"
        }
        func p(_ x: Percentiles?) -> String {
            guard let x else { return "–" }
            return "\(Self.human(x.p50)) / \(Self.human(x.p90))"
        }
        let backlogNote = backlogThreadsLeftOut > 0
            ? "  \(backlogThreadsLeftOut) thread\(backlogThreadsLeftOut == 1 ? "" : "s") opened by a source's first poll (old posts) left out."
            : nil
        table("Response times (p50 / p90) and SLA", ["BY", "GROUP", "N", "ACKNOWLEDGE", "1ST RESPONSE", "RESOLUTION", "MET", "MISSED", "SLA %"],
              rows.map { r in
                  [r.dimension.rawValue, r.key, String(r.threads), p(r.acknowledge), p(r.firstResponse), p(r.resolution),
                   String(r.slaMet), String(r.slaBreached), r.slaAttainment.map { String(format: "%.1f%%", $0 * 100) } ?? "–"]
              }, note: backlogNote)
        table("SLA breaches", ["THREAD", "POLICY", "CLOCK", "DEADLINE", "STOPPED"],
              breaches.map { [$0.threadID, $0.policy, $0.clock.rawValue, Self.iso($0.deadline), $0.stoppedAt.map(Self.iso) ?? "still running"] })
        table("Fairness: who waits longest", ["BY", "GROUP", "THREADS", "MEDIAN WAIT", "OTHERS", "RATIO", "FLAG"],
              fairness.map { f in
                  [f.dimension.rawValue, f.group, String(f.threads), Self.human(f.medianWait), f.othersMedianWait.map(Self.human) ?? "–",
                   f.ratio.map { String(format: "%.2f×", $0) } ?? "–", f.flagged ? "WAITS LONGER" : ""]
              })
        table("Mentions per brand and day", ["DAY", "BRAND", "MENTIONS", "NEGATIVE", "COMPLAINTS", "MEAN SENTIMENT"],
              volume.map { [$0.day, $0.brand, String($0.mentions), String($0.negative), String($0.complaints), String(format: "%+.2f", $0.meanSentiment)] })
        return out
    }

    /// `45s`, `12m`, `3h 20m`, `2d 4h`.
    public static func human(_ t: TimeInterval) -> String {
        let s = Int(t.rounded())
        if s < 60 { return "\(s)s" }
        if s < 3600 { return "\(s / 60)m" + (s % 60 >= 30 && s < 600 ? " \(s % 60)s" : "") }
        if s < 86400 { return "\(s / 3600)h" + (s % 3600 / 60 > 0 ? " \(s % 3600 / 60)m" : "") }
        return "\(s / 86400)d" + (s % 86400 / 3600 > 0 ? " \(s % 86400 / 3600)h" : "")
    }

    static func iso(_ d: Date) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        return f.string(from: d)
    }
}

/// A plain-text table: columns as wide as their widest cell (header included), the widest cut
/// with an ellipsis until the table fits the width.
enum TextGrid {
    static func render(header: [String], rows: [[String]], width: Int) -> String {
        var widths = header.map(\.count)
        for row in rows { for (i, cell) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], cell.count) } }
        let gap = 2
        while widths.reduce(0, +) + gap * (widths.count - 1) > width, let widest = widths.indices.max(by: { widths[$0] < widths[$1] }),
              widths[widest] > 4 {
            widths[widest] -= 1
        }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { i, cell in
                let w = widths[i]
                let fitted = cell.count > w ? String(cell.prefix(max(1, w - 1))) + "…" : cell
                return i == cells.count - 1 ? fitted : fitted.padding(toLength: w, withPad: " ", startingAt: 0)
            }.joined(separator: String(repeating: " ", count: gap))
        }
        return ([line(header)] + rows.map(line)).joined(separator: "\n")
    }
}
