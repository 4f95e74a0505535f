import ArgumentParser
import Foundation
import OutcryApp
import OutcryModel

struct ExplainCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Print why a stored mention got its scores: every rule, its words and its weight.",
        discussion: "`outcry explain MENTION` explains one mention and names its thread; `outcry explain --thread ID` explains every mention of a thread (the ids `outcry queue` shows)."
    )

    @OptionGroup var options: GlobalOptions

    @Argument(help: "The mention's id (as shown by `outcry show THREAD` or `outcry explain --thread`).")
    var mentionID: MentionID?

    @Option(help: "Explain every mention of this thread instead (a thread id, as `outcry queue` shows).")
    var thread: ThreadID?

    @Flag(help: "Print JSON instead of text.")
    var json = false

    func validate() throws {
        guard (mentionID == nil) != (thread == nil) else {
            throw ValidationError("give a mention id or --thread ID (thread ids are what `outcry queue` shows)")
        }
    }

    func run() async throws {
        let config = try options.load()
        let target: Desk.ExplainTarget
        if let thread { target = .thread(thread) } else if let mentionID { target = .mention(mentionID) } else { return }
        do {
            let mentions = try await withDesk(config) { try await $0.mentionsToExplain(target) }
            if json {
                print(try ExplainView.json(mentions, list: thread != nil))
                return
            }
            if let thread, mentions.isEmpty { Terminal.out("thread \(thread) has no stored mentions") }
            Terminal.out(mentions.map(ExplainView.text).joined(separator: "\n"))
        } catch let error as StoreFailure {
            Terminal.error(error.description + (thread == nil ? " (thread ids go with --thread: `outcry explain --thread ID`)" : ""))
            throw ExitCode(ExitCodes.configOrStore)
        }
    }
}
