import ArgumentParser
import Foundation
import OutcryApp

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
            try await Application(config: config).run()
        } catch let error as LockError {
            Terminal.error(error.description)
            throw ExitCode(ExitCodes.locked)
        } catch {
            Terminal.error("\(error)")
            throw ExitCode(ExitCodes.configOrStore)
        }
    }
}
