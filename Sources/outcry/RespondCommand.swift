import ArgumentParser

struct RespondCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "respond", abstract: "Record that someone answered the customer (stops the response clock).")

    @OptionGroup var options: ThreadActionOptions

    func run() async throws { try await options.perform(.respond) }
}
