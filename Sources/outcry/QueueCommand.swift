import ArgumentParser
import Foundation
import OutcryApp
import OutcryModel

struct QueueCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "queue", abstract: "Open threads, most urgent first."
    )

    @OptionGroup var options: GlobalOptions

    @Flag(help: "Print JSON instead of a table.")
    var json = false

    @Option(help: "Show at most this many threads.")
    var limit = 100

    func run() async throws {
        let config = try options.load()
        let threads = try await withStore(config) { try await $0.openThreads(limit: limit) }
        if json {
            print(try QueueView.json(threads))
        } else {
            print(QueueView.table(threads, now: Date()), terminator: "")
        }
    }
}
