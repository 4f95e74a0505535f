import ArgumentParser
import Foundation
import OutcryApp
import OutcryModel
import OutcryStore

struct ExplainCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Print why a stored mention got its scores: every rule, its words and its weight.",
        discussion: "`outcry explain MENTION` explains one mention and names its thread; `outcry explain --thread ID` explains every mention of a thread (the ids `outcry queue` shows)."
    )

    @OptionGroup var options: GlobalOptions

    @Argument(help: "The mention's id (as shown by `outcry show THREAD` or `outcry explain --thread`).")
    var mentionID: Int64?

    @Option(help: "Explain every mention of this thread instead (a thread id, as `outcry queue` shows).")
    var thread: Int64?

    @Flag(help: "Print JSON instead of text.")
    var json = false

    func validate() throws {
        guard (mentionID == nil) != (thread == nil) else {
            throw ValidationError("give a mention id or --thread ID (thread ids are what `outcry queue` shows)")
        }
    }

    func run() async throws {
        let config = try options.load()
        let mentions: [StoredMention]
        do {
            mentions = try await withStore(config) { store in
                if let thread {
                    _ = try await store.thread(id: thread)
                    return try await store.mentions(ofThread: thread)
                }
                return [try await store.mention(id: mentionID ?? 0)]
            }
        } catch let error as StoreError {
            Terminal.error(error.description + (thread == nil ? " (thread ids go with --thread: `outcry explain --thread ID`)" : ""))
            throw ExitCode(ExitCodes.configOrStore)
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            if thread == nil, let only = mentions.first {
                print(String(decoding: try encoder.encode(only.score), as: UTF8.self))
            } else {
                struct Entry: Encodable { var mentionId: Int64?; var threadId: Int64?; var score: Score }
                encoder.keyEncodingStrategy = JSONKeys.snakeCase
                let entries = mentions.map { Entry(mentionId: $0.mention.id, threadId: $0.threadID, score: $0.score) }
                print(String(decoding: try encoder.encode(entries), as: UTF8.self))
            }
            return
        }
        if let thread, mentions.isEmpty { Terminal.out("thread \(thread) has no stored mentions") }
        Terminal.out(mentions.map(ExplainView.text).joined(separator: "\n"))
    }
}
