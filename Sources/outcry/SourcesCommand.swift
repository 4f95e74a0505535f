import ArgumentParser
import Foundation
import OutcryApp

struct SourcesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sources", abstract: "Each source's polling state: last success, errors, next poll, last error."
    )

    @OptionGroup var options: GlobalOptions

    func run() async throws {
        let config = try options.load()
        let states = try await withStore(config) { try await $0.pollStates() }
        print(SourcesView.table(states, now: Date()), terminator: "")
    }
}
