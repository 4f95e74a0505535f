import ArgumentParser
import Foundation
import OutcryApp

struct ConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config", abstract: "Work with the configuration file.", subcommands: [ConfigCheckCommand.self]
    )
}
