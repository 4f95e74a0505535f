import ArgumentParser
import Foundation
import OutcryApp
import OutcryStore

struct ShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "One thread in full: its mentions with scores and reasons, contact, SLA clocks and event log."
    )

    @OptionGroup var options: GlobalOptions

    @Argument(help: "The thread id (as shown by `outcry queue`).")
    var thread: Int64

    func run() async throws {
        let config = try options.load()
        let now = Date()
        let input: ThreadView.Input
        do {
            input = try await withStore(config) { store in
                try await ThreadView.load(thread, store: store, alerting: config.alerting?.config, now: now)
            }
        } catch let error as StoreError {
            Terminal.error(error.description)
            throw ExitCode(ExitCodes.configOrStore)
        }
        Terminal.out(ThreadView.text(input, now: now), terminator: "")
    }
}
