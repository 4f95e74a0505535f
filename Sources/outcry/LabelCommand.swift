import ArgumentParser
import Foundation
import OutcryModel
import OutcryApp

/// `outcry label MENTION …`: a person's judgement of a stored mention, kept for the scorer.
struct LabelCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "label",
        abstract: "Label a stored mention (sentiment, complaint, urgency) so the scorer learns from it.",
        discussion: "The label is stored with who and when and counts in the audit; `outcry scorer train` learns from it.")

    @OptionGroup var store: ScorerStoreOptions

    @Argument(help: "The mention's id.")
    var mention: MentionID

    @Option(name: .long, help: "negative, neutral or positive.")
    var sentiment: SentimentLabel?

    @Option(name: .long, help: "yes or no.")
    var complaint: YesNo?

    @Option(name: .long, parsing: .upToNextOption, help: "Urgency categories: legal safety privacy regulator press churn discrimination vulnerable.")
    var urgency: [UrgencyCategory] = []

    @Flag(name: .customLong("no-urgency"), help: "The mention has no urgency.")
    var noUrgency = false

    @Option(name: .long, help: "Who judged (recorded as cli:NAME; default: $OUTCRY_USER, else $USER).")
    var by: String?

    func validate() throws {
        if noUrgency && !urgency.isEmpty { throw ValidationError("--urgency and --no-urgency cannot both be given") }
        if sentiment == nil && complaint == nil && urgency.isEmpty && !noUrgency {
            throw ValidationError("give at least one of --sentiment, --complaint, --urgency, --no-urgency")
        }
    }

    func run() async throws {
        let who = Actor.resolve(by: by)
        do {
            let (id, summary) = try await store.withDesk(create: false) { desk in
                try await desk.labelMention(mention, by: who, sentiment: sentiment, complaint: complaint.map { $0 == .yes },
                                            urgency: noUrgency ? [] : urgency.isEmpty ? nil : urgency)
            }
            print("label \(id) on mention \(mention): \(summary) (by \(who))")
        } catch let error as StoreFailure {
            Terminal.error(error.description)
            throw ExitCode(error.isNotFound ? 1 : ExitCodes.configOrStore)
        }
    }
}

enum YesNo: String, ExpressibleByArgument {
    case yes, no
}

extension SentimentLabel: ExpressibleByArgument {}
extension UrgencyCategory: ExpressibleByArgument {}
