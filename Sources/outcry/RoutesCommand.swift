import ArgumentParser
import Foundation
import OutcryApp
import OutcryModel

struct RoutesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "routes", abstract: "Inspect the routing tree.", subcommands: [RoutesTestCommand.self]
    )
}

struct RoutesTestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Show which routes a sample alert (or a stored thread) reaches, why, and what happens to it."
    )

    @OptionGroup var options: GlobalOptions

    @Option(help: "Use a stored thread instead of flags.")
    var thread: ThreadID?

    @Option(help: "P1, P2, P3, P4 or none.")
    var severity: String = "P2"

    @Option(help: "Urgency categories (repeatable): legal, safety, privacy, regulator, press, churn, …")
    var urgency: [String] = []

    @Option(help: "feed, social or mail.")
    var channel: String = "social"

    @Option var brand: String?
    @Option var segment: String?
    @Option var source: String = "sample"
    @Option(help: "new_thread, escalation, sla_warning, sla_breach or crisis.")
    var kind: String = "new_thread"

    @Option(help: "Brands currently in crisis (repeatable).")
    var crisis: [String] = []

    @Option(help: "Evaluate at this instant (ISO 8601), for quiet hours; default now.")
    var at: String?

    func run() async throws {
        let config = try options.load()
        var sample = RouteSample()
        sample.thread = thread
        sample.severity = severity
        sample.urgency = urgency
        sample.channel = channel
        sample.brand = brand
        sample.segment = segment
        sample.source = source
        sample.kind = kind
        sample.crisis = crisis
        sample.at = at
        let text: String
        do {
            text = try await Application(config: config).explainRoutes(sample)
        } catch let error as RoutesNotConfigured {
            Terminal.error(error.description)
            throw ExitCode(ExitCodes.configOrStore)
        } catch let error as StoreUnavailable {
            Terminal.error(error.description)
            throw ExitCode(ExitCodes.configOrStore)
        } catch let error as RouteSampleError {
            throw ValidationError(error.description)
        }
        Terminal.out(text, terminator: "")
    }
}
