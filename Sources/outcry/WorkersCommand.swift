import ArgumentParser
import Foundation
import OutcryApp

struct WorkersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "workers",
        abstract: "The `outcry run` processes sharing this database: their roles, last heartbeat, the singletons each runs and the sources each is polling."
    )

    @OptionGroup var options: GlobalOptions

    func run() async throws {
        let config = try options.load()
        let now = Date()
        let (workers, leases, polling) = try await withDesk(config) { try await $0.workers() }
        Terminal.out(WorkersView.table(workers: workers, leases: leases, sourceLeases: polling, now: now), terminator: "")
    }
}
