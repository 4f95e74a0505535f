import ArgumentParser
import Foundation
import OutcryApp
import OutcryWeb

struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run", abstract: "Run the monitor until SIGTERM or SIGINT."
    )

    @OptionGroup var options: GlobalOptions
    @OptionGroup var log: LogOptions

    @Option(help: ArgumentHelp(
        "What this process does: poller, dispatcher, clocks, web, or all (several with commas).",
        discussion: "Several processes can share one database: each poll is claimed by one poller, and the dispatcher and the clocks run on one elected worker at a time, taken over when it dies."
    ))
    var role = "all"

    func validate() throws {
        if case .failure(let error) = WorkerRole.parse(role) { throw ValidationError(error.description) }
    }

    func run() async throws {
        try log.bootstrap()
        let config = try options.load()
        let roles = (try? WorkerRole.parse(role).get()) ?? Set(WorkerRole.allCases)
        do {
            let app = Application(config: config)
            try await app.run(roles: roles) { store in
                // The web server (dashboard, JSON API, acknowledge links) shares the daemon's store.
                guard let web = config.web else { return [] }
                let server = WebServer(desk: Desk(application: app, store: store), settings: web, logger: app.logger)
                let logger = app.logger
                return [server.application { port in
                    logger.info("web: dashboard, JSON API and acknowledge links on http://\(web.host):\(port)")
                }]
            }
        } catch let error as LockError {
            Terminal.error(error.description)
            throw ExitCode(ExitCodes.locked)
        } catch {
            Terminal.error("\(error)")
            throw ExitCode(ExitCodes.configOrStore)
        }
    }
}
