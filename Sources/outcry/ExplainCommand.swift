import ArgumentParser
import Foundation
import OutcryApp
import OutcryModel
import OutcryStore

struct ExplainCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain", abstract: "Print why a stored mention got its scores: every rule, its words and its weight."
    )

    @OptionGroup var options: GlobalOptions

    @Argument(help: "The mention's id (as shown by `outcry queue --json` or the dashboard).")
    var mentionID: Int64

    @Flag(help: "Print JSON instead of text.")
    var json = false

    func run() async throws {
        let config = try options.load()
        let stored: StoredMention
        do {
            stored = try await withStore(config) { try await $0.mention(id: mentionID) }
        } catch let error as StoreError {
            Terminal.error(error.description)
            throw ExitCode(ExitCodes.configOrStore)
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(stored.score), as: UTF8.self))
        } else {
            print(ExplainView.text(stored))
        }
    }
}
