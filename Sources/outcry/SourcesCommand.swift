import ArgumentParser
import Foundation
import OutcryApp
import OutcryModel

struct SourcesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sources",
        abstract: "Each source's polling state; `sources show NAME`, `sources import FILE.opml`, `sources export`.",
        subcommands: [SourcesListCommand.self, SourcesShowCommand.self, SourcesImportCommand.self, SourcesExportCommand.self],
        defaultSubcommand: SourcesListCommand.self
    )
}

struct SourcesListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "Each source's polling state: last success, errors, next poll, last error; for mailboxes also the cursor and the quarantine."
    )

    @OptionGroup var options: GlobalOptions

    @Flag(help: "Print JSON instead of a table (URLs with secrets masked).")
    var json = false

    func run() async throws {
        let config = try options.load()
        let (states, mailboxes) = try await withDesk(config) { try await $0.sources() }
        if json {
            print(try SourcesView.json(states, configured: config.sources))
        } else {
            Terminal.out(SourcesView.table(states, mailboxes: mailboxes, now: Date()), terminator: "")
        }
    }
}

struct SourcesShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "One source in full: its URL (secrets masked), state, times and the whole last error."
    )

    @OptionGroup var options: GlobalOptions

    @Argument(help: "The source's name, as configured.")
    var name: String

    func run() async throws {
        let config = try options.load()
        let (states, mailboxes) = try await withDesk(config) { try await $0.sources() }
        let configured = config.sources.first { $0.name == name }
        guard let state = states.first(where: { $0.sourceName == name })
            ?? configured.map({ PollState(sourceName: $0.name, url: $0.url) }) else {
            let hint = PollCommand.closest(to: name, in: config.sources.map(\.name)).map { " (did you mean `\($0)`?)" } ?? ""
            Terminal.error("no source named '\(name)'\(hint); `outcry sources` lists them")
            throw ExitCode(ExitCodes.configOrStore)
        }
        Terminal.out(SourcesView.detail(state, configured: configured, mailbox: mailboxes[name], now: Date()), terminator: "")
    }
}
