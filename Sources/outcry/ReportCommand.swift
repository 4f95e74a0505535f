import ArgumentParser
import Foundation
import OutcryAlerting
import OutcryApp
import OutcryPipeline

struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Response times (p50/p90), SLA attainment and breaches by severity, channel, team, week and segment, and the fairness view."
    )

    @OptionGroup var options: GlobalOptions

    @Option(help: "csv or json.")
    var format: String = "csv"

    @Option(help: "Threads opened in this period before now: 30d, 12w, 48h (default: all).")
    var since: String?

    @Flag(help: "Add per-person figures (off by default: they are about people, not queues).")
    var perPerson = false

    func validate() throws {
        guard ["csv", "json"].contains(format) else { throw ValidationError("--format must be csv or json") }
        if let since, AlertReport.parseSince(since) == nil { throw ValidationError("--since: '\(since)' is not a period such as 30d, 12w or 48h") }
    }

    func run() async throws {
        let config = try options.load()
        let now = Date()
        let start = since.flatMap(AlertReport.parseSince).map { now.addingTimeInterval(-$0) }
        let report = try await withStore(config) { store in
            try await AlertReport.build(store: store, config: config.alerting?.config, since: start, perPerson: perPerson, now: now)
        }
        if format == "json" {
            print(String(decoding: report.json(), as: UTF8.self))
        } else {
            print(report.csv(), terminator: "")
            print("")
            print(report.fairnessCSV(), terminator: "")
        }
    }
}
