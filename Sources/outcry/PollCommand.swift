import ArgumentParser
import Foundation
import OutcryApp

struct PollCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "poll",
        abstract: "Poll the sources that are due, once, then exit (for cron or a systemd timer; `outcry run` is the daemon).",
        discussion: """
            One pass: each due source is fetched, its new mentions scored, threads and alerts updated, and what is due
            delivered. `--once` is accepted and means the same. With --quiet nothing is printed unless something failed.
            Exit code 0: all sources fine; 1: some failed; 2: configuration or store error; 3: another run holds the data directory.
            """
    )

    @OptionGroup var options: GlobalOptions
    @OptionGroup var log: LogOptions

    @Flag(help: "One pass, then exit (what `outcry poll` always does; kept for old crontabs).")
    var once = false

    @Flag(help: "Poll every source now, even those not yet due or backing off.")
    var force = false

    @Option(name: .customLong("source"), help: "Poll only this source (by its configured name), now; repeatable.")
    var sources: [String] = []

    @Flag(name: .shortAndLong, help: "Cron mode: print only failures and errors (log level error unless --log-level says otherwise).")
    var quiet = false

    func run() async throws {
        try log.bootstrap(quiet: quiet)
        let config = try options.load()
        let names = Set(config.sources.map(\.name))
        for name in sources where !names.contains(name) {
            let hint = Self.closest(to: name, in: names.sorted()).map { " (did you mean `\($0)`?)" } ?? ""
            Terminal.error("no source named '\(name)' in \(options.configPath)\(hint)")
            throw ExitCode(ExitCodes.configOrStore)
        }
        let results: [SourcePollOutcome]
        do {
            results = try await Application(config: config).pollPass(force: force, only: sources.isEmpty ? nil : Set(sources))
        } catch let error as LockError {
            Terminal.error(error.description)
            throw ExitCode(ExitCodes.locked)
        } catch {
            Terminal.error("\(error)")
            throw ExitCode(ExitCodes.configOrStore)
        }
        let failed = results.filter(\.isFailure).count
        for result in results where !quiet || result.isFailure { Terminal.out(result.summary) }
        let considered = sources.isEmpty ? config.sources.count : sources.count
        if !quiet || failed > 0 {
            Terminal.out(Self.tally(polled: results.count, failed: failed, waiting: considered - results.count))
        }
        if results.contains(where: \.isStoreError) {
            Terminal.error("the store refused some writes (see the lines above); nothing of those polls was stored")
            throw ExitCode(ExitCodes.configOrStore)
        }
        if failed > 0 { throw ExitCode(ExitCodes.someSourcesFailed) }
    }

    /// "1 source polled, 0 failed, 2 not due yet (see `outcry sources`)".
    static func tally(polled: Int, failed: Int, waiting: Int) -> String {
        "\(Plural.count(polled, "source")) polled, \(failed) failed" + (waiting > 0 ? ", \(waiting) not due yet (see `outcry sources`)" : "")
    }

    /// The configured name nearest to a mistyped one (edit distance at most 3), for "did you mean".
    static func closest(to name: String, in names: [String]) -> String? {
        func distance(_ a: [Character], _ b: [Character]) -> Int {
            var row = Array(0...b.count)
            for (i, x) in a.enumerated() {
                var previous = row[0]
                row[0] = i + 1
                for (j, y) in b.enumerated() {
                    let current = row[j + 1]
                    row[j + 1] = min(row[j + 1] + 1, row[j] + 1, previous + (x == y ? 0 : 1))
                    previous = current
                }
            }
            return row[b.count]
        }
        let target = Array(name.lowercased())
        return names.map { ($0, distance(target, Array($0.lowercased()))) }.filter { $0.1 <= 3 }.min { $0.1 < $1.1 }?.0
    }
}

/// "1 source", "3 sources".
enum Plural {
    static func count(_ n: Int, _ singular: String, _ plural: String? = nil) -> String {
        "\(n) " + (n == 1 ? singular : plural ?? singular + "s")
    }
}
