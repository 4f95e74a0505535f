import ArgumentParser

struct ResolveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "resolve", abstract: "Resolve threads (stops every clock).")

    @OptionGroup var options: ThreadActionOptions

    func run() async throws { try await options.perform(.resolve) }
}
