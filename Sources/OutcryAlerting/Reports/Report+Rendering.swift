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
