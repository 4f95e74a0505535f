import ArgumentParser
import OutcryApp
import OutcryModel

@main
struct Outcry: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "outcry",
        abstract: "Self-hosted social-media reputation and complaint monitor.",
        discussion: """
            Polls feeds and mailboxes, scores every mention for sentiment, complaint intent and urgency,
            groups them into threads and routes the urgent ones to people.
            Exit codes: 0 fine, 1 some sources failed, 2 configuration or store error, 3 another run holds the data directory.
            """,
        version: OutcryVersion.string,
        subcommands: [
            InitCommand.self, ConfigCommand.self, MigrateCommand.self, DatabaseCommand.self, PollCommand.self, RunCommand.self, WorkersCommand.self, QueueCommand.self, ShowCommand.self, SourcesCommand.self, ScoreCommand.self, ScorerCommand.self, LabelCommand.self, ParseCommand.self, ExplainCommand.self,
            ContactsCommand.self, PrivacyCommand.self, UsersCommand.self,
            // Alerting:
            AckCommand.self, AssignCommand.self, HoldCommand.self, RespondCommand.self, ResolveCommand.self, ReopenCommand.self,
            OutboxCommand.self, RoutesCommand.self, ReportCommand.self, CrisisCommand.self,
        ]
    )
}
