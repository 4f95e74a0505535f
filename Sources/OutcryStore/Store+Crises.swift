import Foundation
import OutcryModel
import SQLKit

/// A brand's crisis: opened by the spike detector ("possible crisis") or declared by a person,
/// ended by a person or, for a detected one, after quiet hours. While a brand has a declared
/// crisis its individual alerts fold into the crisis alert.
public struct CrisisRecord: Sendable, Equatable {
    public enum Origin: String, Sendable { case detected, declared }

    public var id: CrisisID?
    public var brand: String
    public var open: Bool
    public var origin: Origin
    public var startedAt: Date
    public var endedAt: Date?
    /// The spike hour (detected crises).
    public var hour: Date?
    public var count: Int?
    public var baseline: Double?
    public var pValue: Double?
    public var topTerms: [String]
    public var exampleIDs: [String]
    public var summary: String
    public var openedBy: String
    public var endedBy: String?
    /// Individual alerts folded into this crisis's alert.
    public var folded: Int

    public init(id: CrisisID? = nil, brand: String, open: Bool = true, origin: Origin, startedAt: Date, endedAt: Date? = nil,
                hour: Date? = nil, count: Int? = nil, baseline: Double? = nil, pValue: Double? = nil, topTerms: [String] = [],
                exampleIDs: [String] = [], summary: String, openedBy: String, endedBy: String? = nil, folded: Int = 0) {
        self.id = id
        self.brand = brand
        self.open = open
        self.origin = origin
        self.startedAt = startedAt
        self.endedAt = endedAt
        self.hour = hour
        self.count = count
        self.baseline = baseline
        self.pValue = pValue
        self.topTerms = topTerms
        self.exampleIDs = exampleIDs
        self.summary = summary
        self.openedBy = openedBy
        self.endedBy = endedBy
        self.folded = folded
    }
}

/// Why a crisis command was refused.
public enum CrisisError: Error, Sendable, CustomStringConvertible {
    case noOpenCrisis(String)

    public var description: String {
        switch self {
        case .noOpenCrisis(let brand): "brand '\(brand)' has no open crisis (see `outcry crisis list`)"
        }
    }
}

extension Store {
    /// Negative or complaint mentions per brand and hour (hour = seconds since 1970 / 3600),
    /// by publication time (else fetch time), in `[from, to)`.
    public func adverseHourlyCounts(from: Date, to: Date) async throws -> [String: [Int64: Int]] {
        let rows = try await sql.raw("""
            SELECT brand, \(unsafeRaw: dialect.truncatedInteger("COALESCE(published_at, fetched_at) / 3600")) AS h, COUNT(*) AS n FROM mentions
            WHERE brand IS NOT NULL AND (sentiment_label = 'negative' OR is_complaint = 1)
            AND COALESCE(published_at, fetched_at) >= \(bind: from.timeIntervalSince1970)
            AND COALESCE(published_at, fetched_at) < \(bind: to.timeIntervalSince1970)
            GROUP BY brand, h
            """).all()
        var counts: [String: [Int64: Int]] = [:]
        for row in rows {
            let brand = try row.decode(column: "brand", as: String.self)
            counts[brand, default: [:]][try row.decode(column: "h", as: Int64.self)] = try row.decode(column: "n", as: Int.self)
        }
        return counts
    }

    /// The negative or complaint mentions of a brand in one hour (id and text), for a crisis's
    /// top terms and examples.
    public func adverseMentions(brand: String, hour: Int64, limit: Int = 200) async throws -> [(id: MentionID, text: String)] {
        let start = Double(hour) * 3600
        return try await sql.raw("""
            SELECT id, text FROM mentions WHERE brand = \(bind: brand) AND (sentiment_label = 'negative' OR is_complaint = 1)
            AND COALESCE(published_at, fetched_at) >= \(bind: start) AND COALESCE(published_at, fetched_at) < \(bind: start + 3600)
            ORDER BY id LIMIT \(bind: limit)
            """).all().map { (try $0.decode(column: "id", as: MentionID.self), try $0.decode(column: "text", as: String.self)) }
    }

    /// Crises, open ones first, then the most recent.
    public func crises(openOnly: Bool = false, limit: Int = 100) async throws -> [CrisisRecord] {
        try await sql.raw("""
            SELECT * FROM crises \(unsafeRaw: openOnly ? "WHERE status = 'open'" : "")
            ORDER BY CASE status WHEN 'open' THEN 0 ELSE 1 END, started_at DESC, id DESC LIMIT \(bind: limit)
            """).all().map(Self.crisis(from:))
    }

    /// The brands with an open crisis, detected or declared.
    public func openCrisisBrands() async throws -> Set<String> {
        Set(try await sql.raw("SELECT brand FROM crises WHERE status = 'open'").all().map { try $0.decode(column: "brand", as: String.self) })
    }

    /// The brands with an open crisis that a person declared: routing folds their individual
    /// alerts into the crisis alert. A detected ("possible") crisis only alerts: silencing a
    /// brand's alerts is a person's decision.
    public func declaredCrisisBrands() async throws -> Set<String> {
        Set(try await sql.raw("SELECT brand FROM crises WHERE status = 'open' AND origin = 'declared'").all()
            .map { try $0.decode(column: "brand", as: String.self) })
    }

    /// Whether a crisis of this brand was already opened for this spike hour (open or ended).
    public func crisisExists(brand: String, hour: Date) async throws -> Bool {
        try await sql.raw("SELECT id FROM crises WHERE brand = \(bind: brand) AND hour = \(bind: hour.timeIntervalSince1970)").first() != nil
    }

    /// Opens a crisis and queues its alert in one transaction. Returns nil (and queues nothing)
    /// when the brand already has an open crisis.
    public func openCrisis(_ crisis: CrisisRecord, outbox: [NewOutboxRow], now: Date) async throws -> CrisisID? {
        try await transaction {
            if try await sql.raw("SELECT id FROM crises WHERE brand = \(bind: crisis.brand) AND status = 'open'").first() != nil { return nil }
            let id = try await insertCrisis(crisis)
            try await recordEvent(kind: "crisis.opened", actor: crisis.openedBy, detail: "\(crisis.brand): \(crisis.summary)", at: now)
            for row in outbox { try await insertOutbox(row, now: now) }
            return id
        }
    }

    /// A person declares a crisis for a brand: a detected one becomes declared, else one is opened.
    @discardableResult
    public func declareCrisis(brand: String, by: String, note: String?, outbox: @Sendable (CrisisID) throws -> [NewOutboxRow], now: Date) async throws -> CrisisID {
        try await transaction {
            let summary = "crisis declared by \(by)" + (note.map { ": \($0)" } ?? "")
            if let row = try await sql.raw("SELECT id FROM crises WHERE brand = \(bind: brand) AND status = 'open'").first() {
                let id = try row.decode(column: "id", as: CrisisID.self)
                try await sql.raw("UPDATE crises SET origin = 'declared', summary = summary || '; ' || \(bind: summary) WHERE id = \(bind: id)").run()
                try await recordEvent(kind: "crisis.declared", actor: by, detail: "\(brand): \(summary)", at: now)
                return id
            }
            let id = try await insertCrisis(CrisisRecord(brand: brand, origin: .declared, startedAt: now, summary: summary, openedBy: by))
            try await recordEvent(kind: "crisis.declared", actor: by, detail: "\(brand): \(summary)", at: now)
            for row in try outbox(id) { try await insertOutbox(row, now: now) }
            return id
        }
    }

    /// Ends a brand's open crisis: its individual alerts are delivered again from now on.
    @discardableResult
    public func endCrisis(brand: String, by: String, note: String?, now: Date) async throws -> CrisisRecord {
        try await transaction {
            guard let row = try await sql.raw("SELECT * FROM crises WHERE brand = \(bind: brand) AND status = 'open'").first() else {
                throw CrisisError.noOpenCrisis(brand)
            }
            var crisis = try Self.crisis(from: row)
            try await sql.raw("""
                UPDATE crises SET status = 'ended', ended_at = \(bind: now.timeIntervalSince1970), ended_by = \(bind: by) WHERE id = \(bind: crisis.id)
                """).run()
            try await recordEvent(kind: "crisis.ended", actor: by, detail: "\(brand)" + (note.map { ": \($0)" } ?? ""), at: now)
            crisis.open = false
            crisis.endedAt = now
            crisis.endedBy = by
            return crisis
        }
    }

    /// Counts an individual alert folded into a brand's open crisis (and says so in the events).
    public func foldIntoCrisis(brand: String, alertID: String, title: String, now: Date) async throws {
        try await transaction {
            try await sql.raw("UPDATE crises SET folded = folded + 1 WHERE brand = \(bind: brand) AND status = 'open'").run()
            try await recordEvent(kind: "alert.folded", detail: "\(alertID) folded into the crisis of \(brand): \(title)", at: now)
        }
    }

    private func insertCrisis(_ c: CrisisRecord) async throws -> CrisisID {
        let row = try await sql.raw("""
            INSERT INTO crises (brand, status, origin, started_at, hour, count, baseline, p_value, top_terms, example_ids, summary, opened_by)
            VALUES (\(bind: c.brand), 'open', \(bind: c.origin.rawValue), \(bind: c.startedAt.timeIntervalSince1970),
            \(bind: c.hour?.timeIntervalSince1970), \(bind: c.count), \(bind: c.baseline), \(bind: c.pValue),
            \(bind: try CanonicalJSON.encode(c.topTerms)), \(bind: try CanonicalJSON.encode(c.exampleIDs)), \(bind: c.summary), \(bind: c.openedBy))
            RETURNING id
            """).first()
        guard let id = try row?.decode(column: "id", as: CrisisID.self) else { throw StoreError.notFound("new crisis id") }
        return id
    }

    static func crisis(from row: any SQLRow) throws -> CrisisRecord {
        CrisisRecord(
            id: try row.decode(column: "id", as: CrisisID.self), brand: try row.decode(column: "brand", as: String.self),
            open: try row.decode(column: "status", as: String.self) == "open",
            origin: CrisisRecord.Origin(rawValue: try row.decode(column: "origin", as: String.self)) ?? .detected,
            startedAt: Date(timeIntervalSince1970: try row.decode(column: "started_at", as: Double.self)),
            endedAt: try row.decode(column: "ended_at", as: Double?.self).map(Date.init(timeIntervalSince1970:)),
            hour: try row.decode(column: "hour", as: Double?.self).map(Date.init(timeIntervalSince1970:)),
            count: try row.decode(column: "count", as: Int?.self), baseline: try row.decode(column: "baseline", as: Double?.self),
            pValue: try row.decode(column: "p_value", as: Double?.self),
            topTerms: try CanonicalJSON.decode([String].self, try row.decode(column: "top_terms", as: String.self)),
            exampleIDs: try CanonicalJSON.decode([String].self, try row.decode(column: "example_ids", as: String.self)),
            summary: try row.decode(column: "summary", as: String.self), openedBy: try row.decode(column: "opened_by", as: String.self),
            endedBy: try row.decode(column: "ended_by", as: String?.self), folded: try row.decode(column: "folded", as: Int.self)
        )
    }
}
