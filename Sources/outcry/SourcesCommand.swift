import ArgumentParser
import Foundation
import OutcryApp

struct SourcesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sources",
        abstract: "Each source's polling state: last success, errors, next poll, last error; for mailboxes also the cursor and the quarantine."
    )

    @OptionGroup var options: GlobalOptions

    func run() async throws {
        let config = try options.load()
        let (states, mailboxes) = try await withStore(config) { store in
            (try await store.pollStates(), try await store.mailboxStatuses())
        }
        print(SourcesView.table(states, mailboxes: mailboxes, now: Date()), terminator: "")
    }
}
