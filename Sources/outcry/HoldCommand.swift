import ArgumentParser

struct HoldCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "hold", abstract: "Put threads on hold, waiting for the customer (pauses every SLA clock).")

    @OptionGroup var options: ThreadActionOptions

    func run() async throws { try await options.perform(.hold) }
}
