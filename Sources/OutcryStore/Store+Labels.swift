import Foundation
import OutcryModel
import SQLKit

/// A person's judgement of a mention or of a bulk text: any of sentiment, complaint and
/// urgency, with who and when. The scorer learns from these (`outcry scorer train`).
public struct LabelRecord: Sendable, Equatable {
    public var id: LabelID?
    /// The labelled mention; nil for a bulk label (then `text` is its own).
    public var mentionID: MentionID?
    /// The text judged (a mention's current text, so "[erased]" after an erasure).
    public var text: String
    public var sentiment: SentimentLabel?
    public var complaint: Bool?
    /// nil: not said; []: "no urgency".
    public var urgency: [UrgencyCategory]?
    public var by: String
    public var at: Date

    public init(id: LabelID? = nil, mentionID: MentionID? = nil, text: String = "", sentiment: SentimentLabel? = nil,
                complaint: Bool? = nil, urgency: [UrgencyCategory]? = nil, by: String, at: Date) {
        self.id = id
        self.mentionID = mentionID
        self.text = text
        self.sentiment = sentiment
        self.complaint = complaint
        self.urgency = urgency
        self.by = by
        self.at = at
    }

    /// "complaint yes, sentiment negative, urgency safety" — for the audit and the CLI.
    public var summary: String {
        var parts: [String] = []
        if let sentiment { parts.append("sentiment \(sentiment.rawValue)") }
        if let complaint { parts.append("complaint \(complaint ? "yes" : "no")") }
        if let urgency { parts.append(urgency.isEmpty ? "no urgency" : "urgency " + urgency.map(\.rawValue).joined(separator: " ")) }
        return parts.joined(separator: ", ")
    }
}

extension Store {
    /// Stores one label on a stored mention, with an audit entry (naming the mention's contact
    /// when it is linked). Throws a not-found error for an unknown mention, and refuses a label
    /// that says nothing.
    @discardableResult
    public func addLabel(_ label: LabelRecord) async throws -> LabelID {
        try await transaction { try await insertLabel(label) }
    }

    /// Stores bulk labels (texts without a mention) in one transaction; returns their ids.
    @discardableResult
    public func addLabels(_ labels: [LabelRecord]) async throws -> [LabelID] {
        try await transaction {
            var ids: [LabelID] = []
            ids.reserveCapacity(labels.count)
            for l in labels { ids.append(try await insertLabel(l)) }
            return ids
        }
    }

    private func insertLabel(_ l: LabelRecord) async throws -> LabelID {
        guard l.sentiment != nil || l.complaint != nil || l.urgency != nil else {
            throw StoreError(description: "a label needs at least one of sentiment, complaint, urgency")
        }
        guard !l.by.isEmpty else { throw StoreError(description: "a label needs the name of who made it") }
        var contactID: ContactID?
        if let m = l.mentionID {
            guard try await sql.raw("SELECT id FROM mentions WHERE id = \(bind: m)").first() != nil else {
                throw StoreError.notFound("mention \(m)")
            }
            if let r = try await sql.raw("SELECT contact_id FROM mention_links WHERE mention_id = \(bind: m) AND outcome = 'linked'").first() {
                contactID = try r.decode(column: "contact_id", as: ContactID?.self)
            }
        } else if l.text.isEmpty {
            throw StoreError(description: "a bulk label needs a text")
        }
        let urgency = l.urgency.map { "[" + $0.map { "\"\($0.rawValue)\"" }.joined(separator: ",") + "]" }
        let row = try await sql.raw("""
            INSERT INTO labels (mention_id, text, sentiment, complaint, urgency, labelled_by, labelled_at)
            VALUES (\(bind: l.mentionID), \(bind: l.mentionID == nil ? l.text : nil), \(bind: l.sentiment?.rawValue),
                    \(bind: l.complaint.map { $0 ? 1 : 0 }), \(bind: urgency), \(bind: l.by), \(bind: l.at.timeIntervalSince1970))
            RETURNING id
            """).first()
        guard let id = try row?.decode(column: "id", as: LabelID.self) else { throw StoreError(description: "label insert returned no id") }
        if l.mentionID != nil {
            try await recordAudit(
                actor: l.by, action: "label", contactID: contactID, detail: "mention \(l.mentionID!): \(l.summary)", at: l.at)
        }
        return id
    }

    /// Labels with id > `after`, oldest first; a mention's label carries the mention's text.
    public func labels(after: LabelID = 0) async throws -> [LabelRecord] {
        let rows = try await sql.raw("""
            SELECT l.id, l.mention_id, COALESCE(l.text, m.text, '') AS text, l.sentiment, l.complaint, l.urgency,
                   l.labelled_by, l.labelled_at
            FROM labels l LEFT JOIN mentions m ON m.id = l.mention_id
            WHERE l.id > \(bind: after) ORDER BY l.id
            """).all()
        return try rows.map { r in
            let urgencyText = try r.decode(column: "urgency", as: String?.self)
            var urgency: [UrgencyCategory]?
            if let urgencyText, let data = urgencyText.data(using: .utf8),
               let names = try? JSONDecoder().decode([String].self, from: data) {
                urgency = names.compactMap(UrgencyCategory.init(rawValue:))
            }
            return LabelRecord(
                id: try r.decode(column: "id", as: LabelID.self), mentionID: try r.decode(column: "mention_id", as: MentionID?.self),
                text: try r.decode(column: "text", as: String.self),
                sentiment: try r.decode(column: "sentiment", as: String?.self).flatMap(SentimentLabel.init(rawValue:)),
                complaint: try r.decode(column: "complaint", as: Int?.self).map { $0 != 0 }, urgency: urgency,
                by: try r.decode(column: "labelled_by", as: String.self),
                at: Date(timeIntervalSince1970: try r.decode(column: "labelled_at", as: Double.self)))
        }
    }

    /// How many labels are stored, and how many of them are on mentions.
    /// How many labels were stored after label `id` (a count, without reading them).
    public func labelCount(after id: LabelID) async throws -> Int {
        try await sql.raw("SELECT COUNT(*) AS n FROM labels WHERE id > \(bind: id)").first()?.decode(column: "n", as: Int.self) ?? 0
    }

    public func labelCounts() async throws -> (total: Int, onMentions: Int) {
        guard let row = try await sql.raw("SELECT COUNT(*) AS n, COUNT(mention_id) AS m FROM labels").first() else { return (0, 0) }
        return (try row.decode(column: "n", as: Int.self), try row.decode(column: "m", as: Int.self))
    }
}

/// One trained version of the installation's scorer model (the weights are opaque bytes here;
/// OutcryScoring's `ModelCodec` reads them).
public struct ScorerModelRecord: Sendable, Equatable {
    public var version: Int
    public var createdAt: Date
    public var labelCount: Int
    /// The highest label id it learned from.
    public var labelsThrough: LabelID
    /// The cross-validation report, JSON.
    public var report: String
    public var accepted: Bool
    public var active: Bool
    /// Empty unless asked for.
    public var model: [UInt8]

    public init(version: Int, createdAt: Date, labelCount: Int, labelsThrough: LabelID, report: String, accepted: Bool,
                active: Bool = false, model: [UInt8] = []) {
        self.version = version
        self.createdAt = createdAt
        self.labelCount = labelCount
        self.labelsThrough = labelsThrough
        self.report = report
        self.accepted = accepted
        self.active = active
        self.model = model
    }
}

extension Store {
    /// The next free version number (1 for the first installation model).
    public func nextScorerModelVersion() async throws -> Int {
        let row = try await sql.raw("SELECT COALESCE(MAX(version), 0) + 1 AS v FROM scorer_models").first()
        return try row?.decode(column: "v", as: Int.self) ?? 1
    }

    /// Keeps a trained version; an accepted one becomes the active model in the same transaction.
    public func saveScorerModel(_ m: ScorerModelRecord) async throws {
        try await transaction {
            if m.accepted { try await sql.raw("UPDATE scorer_models SET active = 0 WHERE active = 1").run() }
            try await sql.raw("""
                INSERT INTO scorer_models (version, created_at, label_count, labels_through, report, accepted, active, model)
                VALUES (\(bind: m.version), \(bind: m.createdAt.timeIntervalSince1970), \(bind: m.labelCount), \(bind: m.labelsThrough),
                        \(bind: m.report), \(bind: m.accepted ? 1 : 0), \(bind: m.accepted ? 1 : 0), \(bind: Data(m.model)))
                """).run()
        }
    }

    /// Every version, newest first, without the weights.
    public func scorerModels() async throws -> [ScorerModelRecord] {
        try await sql.raw("""
            SELECT version, created_at, label_count, labels_through, report, accepted, active FROM scorer_models ORDER BY version DESC
            """).all().map { try Self.scorerModel($0, withModel: false) }
    }

    /// The active version's number (nil: the base model), without its weights: workers ask it
    /// every pass to notice a model another worker trained.
    public func activeScorerVersion() async throws -> Int? {
        try await sql.raw("SELECT version FROM scorer_models WHERE active = 1").first()?.decode(column: "version", as: Int.self)
    }

    /// The active version with its weights; nil when the base model is active.
    public func activeScorerModel() async throws -> ScorerModelRecord? {
        try await sql.raw("SELECT * FROM scorer_models WHERE active = 1").first().map { try Self.scorerModel($0, withModel: true) }
    }

    /// Goes back one: the newest accepted version older than the active one becomes active (the
    /// base model when there is none). Returns the new active version (nil: the base model).
    /// Throws when the base model is already active.
    public func rollbackScorerModel() async throws -> Int? {
        try await transaction {
            guard let row = try await sql.raw("SELECT version FROM scorer_models WHERE active = 1").first() else {
                throw StoreError(description: "the base model is active; there is nothing to roll back")
            }
            let current = try row.decode(column: "version", as: Int.self)
            try await sql.raw("UPDATE scorer_models SET active = 0, accepted = 0 WHERE version = \(bind: current)").run()
            let previous = try await sql.raw("""
                SELECT MAX(version) AS v FROM scorer_models WHERE accepted = 1 AND version < \(bind: current)
                """).first()?.decode(column: "v", as: Int?.self)
            if let previous { try await sql.raw("UPDATE scorer_models SET active = 1 WHERE version = \(bind: previous)").run() }
            return previous
        }
    }

    static func scorerModel(_ r: any SQLRow, withModel: Bool) throws -> ScorerModelRecord {
        ScorerModelRecord(
            version: try r.decode(column: "version", as: Int.self),
            createdAt: Date(timeIntervalSince1970: try r.decode(column: "created_at", as: Double.self)),
            labelCount: try r.decode(column: "label_count", as: Int.self),
            labelsThrough: try r.decode(column: "labels_through", as: LabelID.self),
            report: try r.decode(column: "report", as: String.self),
            accepted: try r.decode(column: "accepted", as: Int.self) != 0,
            active: try r.decode(column: "active", as: Int.self) != 0,
            model: withModel ? [UInt8](try r.decode(column: "model", as: Data.self)) : [])
    }
}
