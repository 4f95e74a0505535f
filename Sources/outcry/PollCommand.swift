import ArgumentParser
import Foundation
import OutcryApp
import OutcryPipeline

struct PollCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "poll",
        abstract: "Poll every source once (for cron or a systemd timer).",
        discussion: "Exit code 0: all sources fine; 1: some failed; 2: configuration or store error; 3: another run holds the data directory."
    )

    @OptionGroup var options: GlobalOptions

    @Flag(help: "One pass, then exit (the only mode; `outcry run` is the daemon).")
    var once = false

    @Flag(help: "Poll every source now, even those not yet due or backing off.")
    var force = false

    func validate() throws {
        guard once else { throw ValidationError("write `outcry poll --once` for one pass, or `outcry run` for the daemon") }
    }

    func run() async throws {
        let config = try options.load()
        let results: [SourcePollResult]
        do {
            results = try await Application(config: config).pollOnce(force: force)
        } catch let error as LockError {
            Terminal.error(error.description)
            throw ExitCode(ExitCodes.locked)
        } catch {
            Terminal.error("\(error)")
            throw ExitCode(ExitCodes.configOrStore)
        }
        for result in results { print(result.summary) }
        let failed = results.filter(\.isFailure).count
        let waiting = config.sources.count - results.count
        print("\(results.count) sources polled, \(failed) failed" + (waiting > 0 ? ", \(waiting) not due yet (see `outcry sources`)" : ""))
        if results.contains(where: \.isStoreError) {
            Terminal.error("the store refused some writes (see the lines above); nothing of those polls was stored")
            throw ExitCode(ExitCodes.configOrStore)
        }
        if failed > 0 { throw ExitCode(ExitCodes.someSourcesFailed) }
    }
}
