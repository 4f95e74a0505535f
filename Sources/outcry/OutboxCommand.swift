import ArgumentParser
import Foundation
import OutcryApp
import OutcryModel

struct OutboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "outbox", abstract: "Show queued, sent and dead-lettered notifications; put dead ones back in the queue."
    )

    @OptionGroup var options: GlobalOptions

    @Flag(help: "Only the dead letters (deliveries that gave up).")
    var dead = false

    @Option(help: "Put this dead-lettered message back in the queue.")
    var retry: OutboxID?

    @Flag(help: "Put every dead-lettered message back in the queue.")
    var retryAll = false

    @Option(help: "Show at most this many messages.")
    var limit = 50

    func run() async throws {
        let config = try options.load()
        try await withDesk(config) { desk in
            if let retry {
                guard try await desk.retryDead(retry) else {
                    Terminal.error("outbox message \(retry) is not dead-lettered")
                    throw ExitCode(1)
                }
                Terminal.out("outbox message \(retry) queued again")
                return
            }
            if retryAll {
                Terminal.out("\(try await desk.retryAllDead()) dead-lettered message(s) queued again")
                return
            }
            let messages = try await desk.outbox(dead: dead, limit: limit)
            Terminal.out(OutboxView.table(messages), terminator: "")
        }
    }
}
