import ArgumentParser
import Foundation
import OutcryApp

struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Response times (p50/p90), SLA attainment and breaches by severity, channel, team, week and segment, and the fairness view."
    )

    @OptionGroup var options: GlobalOptions

    @Option(help: "table (readable, the default in a terminal), csv (the default when piped) or json.")
    var format: String?

    @Option(help: "Only this table: response_times, breaches, fairness or volume.")
    var table: String?

    @Option(help: "With --format csv: write one file per table into this folder (response_times.csv, breaches.csv, fairness.csv, volume.csv).")
    var output: String?

    @Option(help: "Threads opened in this period before now: 30d, 12w, 48h (default: all).")
    var since: String?

    @Flag(help: "Add per-person figures (off by default: they are about people, not queues).")
    var perPerson = false

    func validate() throws {
        if let format, !["table", "csv", "json"].contains(format) { throw ValidationError("--format must be table, csv or json") }
        if let table, !ReportDocument.tableNames.contains(table) {
            throw ValidationError("--table: '\(table)' is not one of \(ReportDocument.tableNames.joined(separator: ", "))")
        }
        if output != nil && (format ?? "csv") != "csv" { throw ValidationError("--output writes CSV files: use it with --format csv") }
        if let since, ReportDocument.parseSince(since) == nil { throw ValidationError("--since: '\(since)' is not a period such as 30d, 12w or 48h") }
    }

    func run() async throws {
        let config = try options.load()
        let now = Date()
        let start = since.flatMap(ReportDocument.parseSince).map { now.addingTimeInterval(-$0) }
        let report = try await withDesk(config) { try await $0.report(since: start, perPerson: perPerson, now: now) }
        let chosen = format ?? (output != nil || isatty(STDOUT_FILENO) == 0 ? "csv" : "table")
        let tables = table.map { [$0] } ?? ReportDocument.tableNames
        switch chosen {
        case "json":
            print(String(decoding: report.json(), as: UTF8.self))
        case "table":
            let width = Int(ProcessInfo.processInfo.environment["COLUMNS"] ?? "") ?? 120
            print(report.text(width: max(60, width)), terminator: "")
        default:
            if let output {
                try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
                for t in tables {
                    let path = (output as NSString).appendingPathComponent(t + ".csv")
                    try report.csv(table: t).write(toFile: path, atomically: true, encoding: .utf8)
                    print("wrote \(path)")
                }
            } else if table != nil || format == "csv" {
                // One table, or every table one after the other with a blank line between.
                print(tables.map { report.csv(table: $0) }.joined(separator: "\r\n"), terminator: "")
            } else {
                // Piped without options: the two tables scripts have read since the first version.
                print(report.csv(), terminator: "")
                print("")
                print(report.fairnessCSV(), terminator: "")
            }
        }
    }
}
