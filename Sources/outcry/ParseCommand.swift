import ArgumentParser

/// `outcry parse …`: run one of the parsers on a file and print what it understood, as JSON.
struct ParseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parse",
        abstract: "Parse a feed or a mail message and print the result as JSON.",
        subcommands: [ParseMailCommand.self]
    )
}
