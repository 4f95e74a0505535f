import ArgumentParser
import Foundation
import OutcryApp

struct ContactsSyncCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync", abstract: "Import the configured contacts.sync_file once (what `outcry run` does every sync_interval).",
        discussion: "Exit codes as for `outcry contacts import`."
    )

    @OptionGroup var options: GlobalOptions

    func run() async throws {
        let config = try options.load()
        guard let path = config.contacts.syncFile else {
            Terminal.error("no contacts.sync_file in \(config.path): add `contacts: { sync_file: PATH }` or use `outcry contacts import FILE`")
            throw ExitCode(ExitCodes.configOrStore)
        }
        let report: ContactImportOutcome
        do {
            report = try await Application(config: config).importContactFile(path: path, actor: cliActor)
        } catch {
            Terminal.error("\(path): \(error) — nothing was imported")
            throw ExitCode(ExitCodes.configOrStore)
        }
        for rejection in report.rejections { Terminal.out("\(path):\(rejection.line): \(rejection.verdict): \(rejection.kind): \(rejection.detail)") }
        Terminal.out("\(path): \(report.summary)")
        if !report.rejections.isEmpty { throw ExitCode(ExitCodes.someSourcesFailed) }
    }
}
