import ArgumentParser
import Foundation
import OutcryApp
import OutcryModel
import OutcryStore

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
        let (record, timeline) = try await withStore(config) { store in
            let record = try await requireContact(store, contact)
            return (record, try await store.timeline(contactID: record.id ?? 0, limit: limit))
        }
        Terminal.out(Self.render(record, timeline), terminator: "")
    }

    static func render(_ c: Contact, _ timeline: [ContactTimelineEntry]) -> String {
        var out = "contact #\(c.id ?? 0)  \(c.externalID)  \(c.name)\n"
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
            let m = entry.mention.mention
            let when = format.string(from: m.publishedAt ?? m.fetchedAt)
            let severity = entry.mention.score.severity.rawValue
            let complaint = entry.mention.score.complaint.isComplaint ? " complaint" : ""
            let thread = entry.thread.map { " thread #\($0.id ?? 0) (\($0.status.rawValue), \($0.mentionCount) mentions)" } ?? ""
            let line = (m.title?.isEmpty == false ? m.title! : m.text).split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
            let excerpt = line.count > 80 ? String(line.prefix(79)) + "…" : line
            out += "  \(when)  #\(m.id ?? 0) \(m.sourceName)  \(severity)\(complaint)\(thread)\n    \(excerpt)\n"
            out += "    linked: \(entry.link.reason)\(entry.link.confidence.map { " (\(Int(($0 * 100).rounded()))%)" } ?? "")\n"
        }
        return out
    }
}
