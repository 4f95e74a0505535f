import ArgumentParser
import Foundation
import OutcryApp
import OutcryModel

struct QueueCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "queue", abstract: "Open threads, most urgent first: assignee, time left on the next SLA target, brand.",
        discussion: """
            DUE is the time left on the thread's next SLA target (BREACHED once a deadline passed, "paused" on hold, "-" without
            an SLA policy). The table fits the terminal ($COLUMNS, else the terminal's width; TITLE and WHY are cut with "…")
            and is printed whole when piped. `--json` adds each thread's original post URL, assignee and due time.
            """
    )

    @OptionGroup var options: GlobalOptions

    @Flag(help: "Print JSON instead of a table.")
    var json = false

    @Option(help: "Show at most this many threads.")
    var limit = 100

    @Flag(help: "Only threads assigned to me (--by NAME, else $OUTCRY_USER).")
    var mine = false

    @Option(help: "Who \"me\" is for --mine (default: $OUTCRY_USER).")
    var by: String?

    @Option(help: "Only threads assigned to this person or team.")
    var assignee: String?

    @Option(help: "Only threads assigned to this team.")
    var team: String?

    @Option(help: "Only this severity (P1…P4); repeatable.")
    var severity: [String] = []

    @Option(help: "Only this brand; repeatable.")
    var brand: [String] = []

    @Option(help: "Only this status (new, acknowledged, responded, on_hold); repeatable.")
    var status: [String] = []

    @Option(help: "Only this channel (feed, social, mail, …); repeatable.")
    var channel: [String] = []

    @Option(help: "Only threads with a mention in this urgency category (legal, safety, privacy, …); repeatable.")
    var urgency: [String] = []

    @Option(help: "Only this segment (the linked contact's tier); repeatable.")
    var segment: [String] = []

    @Option(help: "Skip this many threads first (the next page: --offset 100 with --limit 100).")
    var offset = 0

    @Flag(help: "Only threads past an SLA target or due within the hour.")
    var breaching = false

    @Option(help: "Order: severity (default), due (nearest SLA target first) or waiting (oldest first).")
    var sort: String = QueueSort.severity.rawValue

    func validate() throws {
        guard QueueSort(rawValue: sort) != nil else {
            throw ValidationError("unknown --sort '\(sort)': use \(QueueSort.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        for s in severity where Severity(rawValue: s.uppercased()) == nil {
            throw ValidationError("unknown --severity '\(s)': use P1, P2, P3 or P4")
        }
        for s in status where ThreadStatus(rawValue: s.lowercased()) == nil {
            throw ValidationError("unknown --status '\(s)': use \(ThreadStatus.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        for u in urgency where UrgencyCategory(rawValue: u.lowercased()) == nil {
            throw ValidationError("unknown --urgency '\(u)': use \(UrgencyCategory.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        for c in channel where Channel(rawValue: c.lowercased()) == nil {
            throw ValidationError("unknown --channel '\(c)': use \(Channel.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard offset >= 0 else { throw ValidationError("--offset must be 0 or more") }
        guard limit >= 1 else { throw ValidationError("--limit must be 1 or more") }
        if mine, Actor.me(by: by) == nil {
            throw ValidationError("--mine needs to know who you are: give --by NAME or set OUTCRY_USER")
        }
    }

    func run() async throws {
        let config = try options.load()
        let now = Date()
        var filter = QueueFilter()
        filter.assignee = mine ? Actor.me(by: by) : assignee
        filter.team = team
        filter.severities = Set(severity.compactMap { Severity(rawValue: $0.uppercased()) })
        filter.brands = brand
        filter.statuses = Set(status.compactMap { ThreadStatus(rawValue: $0.lowercased()) })
        filter.channels = channel.map { $0.lowercased() }
        filter.urgencies = Set(urgency.compactMap { UrgencyCategory(rawValue: $0.lowercased()) })
        filter.segments = segment
        filter.breaching = breaching
        let order = QueueSort(rawValue: sort) ?? .severity
        let overviews = try await withDesk(config) { try await $0.queue(filter: filter, sort: order, limit: limit, offset: offset, now: now) }
        if json {
            print(try QueueView.json(overviews, now: now))
        } else {
            Terminal.out(QueueView.table(overviews, now: now, width: TerminalWidth.current()), terminator: "")
        }
    }
}
