import ArgumentParser
import OutcryApp

@main
struct Outcry: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "outcry", abstract: "Social-media reputation and complaint monitor.",
        subcommands: [ParseCommand.self]
    )
}
