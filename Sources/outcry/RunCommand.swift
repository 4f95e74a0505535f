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

    func run() async throws {
        try log.bootstrap()
        let config = try options.load()
        do {
            let app = Application(config: config)
            try await app.run { store in
                // The web server (dashboard, JSON API, acknowledge links) shares the daemon's store.
                guard let web = config.web else { return [] }
                let server = WebServer(store: store, settings: web, alerting: try? app.alertSettings(), logger: app.logger)
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
