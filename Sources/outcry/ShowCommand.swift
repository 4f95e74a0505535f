import ArgumentParser
import Foundation
import OutcryApp
import OutcryModel

struct ShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "One thread in full: its mentions with scores and reasons, contact, SLA clocks and event log."
    )

    @OptionGroup var options: GlobalOptions

    @Argument(help: "The thread id (as shown by `outcry queue`).")
    var thread: ThreadID

    func run() async throws {
        let config = try options.load()
        let now = Date()
        let input: ThreadView.Input
        do {
            input = try await withDesk(config) { try await $0.threadInput(thread, now: now) }
        } catch let error as StoreFailure {
            Terminal.error(error.description)
            throw ExitCode(ExitCodes.configOrStore)
        }
        Terminal.out(ThreadView.text(input, now: now), terminator: "")
    }
}
