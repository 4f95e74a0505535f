import ArgumentParser
import OutcryApp

struct AssignCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "assign", abstract: "Assign threads to a person or a team.")

    @OptionGroup var options: ThreadActionOptions

    @Option(help: "The person to assign it to.")
    var to: String?

    @Option(help: "The team to assign it to.")
    var team: String?

    func validate() throws {
        guard (to == nil) != (team == nil) else { throw ValidationError("give exactly one of --to PERSON or --team TEAM") }
    }

    func run() async throws {
        try await options.perform(.assign, assignee: to, team: team)
    }
}
