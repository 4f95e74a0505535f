import ArgumentParser
import Foundation
import OutcryApp

struct PrivacyPurgeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "purge", abstract: "Apply the configured retention once (what `outcry run` does hourly)."
    )

    @OptionGroup var options: GlobalOptions

    func run() async throws {
        let config = try options.load()
        guard config.retention.isEnabled else {
            Terminal.out("no retention configured (add `retention: { mentions: 365d, mail_bodies: 90d }`): nothing purged")
            return
        }
        do {
            let result = try await Application(config: config).purgeOnce()
            Terminal.out("\(result.mentionsPurged) mentions and \(result.mailBodiesPurged) mail bodies purged")
        } catch {
            Terminal.error("\(error)")
            throw ExitCode(ExitCodes.configOrStore)
        }
    }
}
