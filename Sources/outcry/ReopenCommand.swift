import ArgumentParser

struct ReopenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "reopen", abstract: "Reopen resolved threads (new clocks, escalation starts again).")

    @OptionGroup var options: ThreadActionOptions

    func run() async throws { try await options.perform(.reopen) }
}
