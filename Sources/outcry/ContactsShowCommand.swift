import ArgumentParser
import Foundation
import OutcryApp
import OutcryModel

struct ContactsShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "A contact's record and timeline: linked mentions with their scores and threads."
    )

    @OptionGroup var options: GlobalOptions

    @Argument(help: "The contact's id, CRM id (or a merged one) or email address.")
    var contact: String

    @Option(help: "Show at most this many mentions.")
    var limit = 50

    func run() async throws {
        let config = try options.load()
        let (record, timeline) = try await withDesk(config) { desk in
            let record = try await requireContact(desk, contact)
            return (record, try await desk.timeline(of: record, limit: limit))
        }
        Terminal.out(Self.render(record, timeline), terminator: "")
    }

    static func render(_ record: IdentifiedContact, _ timeline: [ContactTimelineItem]) -> String {
        let c = record.contact
        var out = "contact #\(record.id)  \(c.externalID)  \(c.name)\n"
        let facts: [(String, String?)] = [("company", c.company), ("segment", c.segment), ("tier", c.tier), ("owner", c.owner)]
        let known = facts.compactMap { label, value in value.map { "\(label): \($0)" } }
        if !known.isEmpty { out += "  " + known.joined(separator: "   ") + "\n" }
        if c.optedOut { out += "  opted out: never linked to mentions, never profiled\n" }
        if !c.emails.isEmpty { out += "  emails: \(c.emails.joined(separator: ", "))\n" }
        if !c.phones.isEmpty { out += "  phones: \(c.phones.joined(separator: ", "))\n" }
        if !c.handles.isEmpty { out += "  handles: \(c.handles.map { "\($0.network.displayName) \($0.handle)" }.joined(separator: ", "))\n" }
        if !c.mergedExternalIDs.isEmpty { out += "  merged records: \(c.mergedExternalIDs.joined(separator: ", "))\n" }
        out += timeline.isEmpty ? "no linked mentions\n" : "timeline (\(timeline.count) mentions, newest first):\n"
        let format = ISO8601DateFormatter()
        for entry in timeline {
            let when = format.string(from: entry.at)
            let severity = entry.severity.rawValue
            let complaint = entry.isComplaint ? " complaint" : ""
            let thread = entry.thread.map { " thread #\($0.id) (\($0.status.rawValue), \($0.mentionCount) mentions)" } ?? ""
            let line = (entry.title?.isEmpty == false ? entry.title! : entry.text).split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
            let excerpt = line.count > 80 ? String(line.prefix(79)) + "…" : line
            out += "  \(when)  #\(entry.mentionID) \(entry.sourceName)  \(severity)\(complaint)\(thread)\n    \(excerpt)\n"
            out += "    linked: \(entry.linkReason)\(entry.linkConfidence.map { " (\(Int(($0 * 100).rounded()))%)" } ?? "")\n"
        }
        return out
    }
}
