import ArgumentParser
import Foundation
import OutcryAlerting
import OutcryApp
import OutcryPipeline
import OutcryStore

/// What every thread action takes: the thread, who acts, and a note.
struct ThreadActionOptions: ParsableArguments {
    @OptionGroup var global: GlobalOptions

    @Argument(help: "The thread id (as shown by `outcry queue`).")
    var thread: Int64

    @Option(help: "Who acts (default: $OUTCRY_USER, else $USER).")
    var by: String?

    @Option(help: "A note stored with the event.")
    var note: String?

    var actor: String {
        by ?? ProcessInfo.processInfo.environment["OUTCRY_USER"] ?? ProcessInfo.processInfo.environment["USER"] ?? "cli"
    }

    /// Applies `command` to the thread in one transaction and prints the event; a refused
    /// transition exits with code 1 and the lifecycle's reason.
    func perform(_ command: ThreadCommand) async throws {
        let config = try global.load()
        let app = Application(config: config)
        let settings: AlertSettings?
        do { settings = try app.alertSettings() } catch {
            Terminal.error("\(error)")
            throw ExitCode(ExitCodes.configOrStore)
        }
        let event: ThreadEvent
        do {
            event = try await withStore(config) { store in
                try await AlertThreadActions(store: store, settings: settings).perform(thread, command, by: actor, note: note)
            }
        } catch let error as TransitionError {
            Terminal.error("thread \(thread): \(error.message)")
            throw ExitCode(1)
        } catch let error as ThreadConflict {
            Terminal.error(error.description)
            throw ExitCode(1)
        } catch let error as StoreError {
            Terminal.error("\(error)")
            throw ExitCode(1)
        }
        var line = "thread \(thread): \(event.from?.rawValue ?? "-") → \(event.to.rawValue) (\(event.kind.rawValue) by \(event.actor) at \(event.at.formatted(.iso8601)))"
        if let a = event.assignee { line += ", assigned to \(a)" }
        print(line)
    }
}

struct AckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ack", abstract: "Acknowledge a thread (stops its acknowledge clock and its escalation)."
    )

    @OptionGroup var options: ThreadActionOptions

    func run() async throws { try await options.perform(.acknowledge) }
}
