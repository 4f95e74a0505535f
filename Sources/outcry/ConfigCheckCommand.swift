import ArgumentParser
import Foundation
import OutcryApp

struct ConfigCheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check", abstract: "Validate the configuration; print every problem with its line."
    )

    @OptionGroup var options: GlobalOptions

    func run() async throws {
        let config = try options.load()
        for warning in config.warnings { Terminal.out("\(options.configPath): warning: \(warning)") }
        Terminal.out("\(options.configPath): OK — \(config.sources.count) sources, \(config.brands.count) brands, data in \(config.dataDirectory)")
    }
}
