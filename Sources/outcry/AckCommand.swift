import ArgumentParser
import Foundation
import OutcryApp
import OutcryModel

/// What every thread action takes: the threads, who acts, and a note.
struct ThreadActionOptions: ParsableArguments {
    @OptionGroup var global: GlobalOptions

    @Argument(help: "One or more thread ids (as shown by `outcry queue`).")
    var threads: [ThreadID]

    @Option(help: "Who acts, recorded as cli:NAME (NAME: --by, else $OUTCRY_USER, else $USER).")
    var by: String?

    @Option(help: "A note stored with the event.")
    var note: String?

    func validate() throws {
        guard !threads.isEmpty else { throw ValidationError("give at least one thread id (as shown by `outcry queue`)") }
    }

    var actor: String { Actor.resolve(by: by) }

    /// Applies `action` to each thread, each in its own transaction, and prints one line per
    /// thread: the event, or why it was refused. Exits with code 1 when any thread failed.
    func perform(_ action: Desk.Action, assignee: String? = nil, team: String? = nil) async throws {
        let config = try global.load()
        let actor = self.actor
        // One line per thread: what happened, or why not (each thread in its own transaction).
        let outcomes: [(done: Bool, line: String)] = try await withDesk(config, actions: true) { desk in
            var outcomes: [(done: Bool, line: String)] = []
            for thread in threads {
                do {
                    let event = try await desk.transition(thread, action, by: actor, note: note, assignee: assignee, team: team)
                    var line = "thread \(thread): \(event.from ?? "-") → \(event.to) (\(event.kind) by \(event.actor) at \(event.at.formatted(.iso8601)))"
                    if let kind = event.assigneeKind, let name = event.assigneeName { line += ", assigned to \(kind) \(name)" }
                    outcomes.append((true, line))
                } catch let error as DeskError where error.kind == .conflict {
                    outcomes.append((false, error.description))
                } catch {
                    outcomes.append((false, "thread \(thread): \(error)"))
                }
            }
            return outcomes
        }
        var failed = 0
        for outcome in outcomes {
            if outcome.done { Terminal.out(outcome.line) } else {
                failed += 1
                Terminal.error(outcome.line)
            }
        }
        if threads.count > 1 { Terminal.out("\(threads.count - failed) of \(threads.count) threads done" + (failed > 0 ? ", \(failed) failed" : "")) }
        if failed > 0 { throw ExitCode(1) }
    }
}

struct AckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ack", abstract: "Acknowledge threads (stops their acknowledge clock and escalation): `outcry ack 1 2 3`."
    )

    @OptionGroup var options: ThreadActionOptions

    func run() async throws { try await options.perform(.acknowledge) }
}
