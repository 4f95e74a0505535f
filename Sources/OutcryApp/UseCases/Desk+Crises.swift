import Foundation
import OutcryStore

/// A brand's crisis as `outcry crisis list` shows it: detected (a spike of negative mentions) or declared.
public struct CrisisSummary: Sendable, Equatable {
    public var id: Int64
    public var brand: String
    public var open: Bool
    /// `detected` or `declared`.
    public var origin: String
    public var startedAt: Date
    public var endedAt: Date?
    public var summary: String
    public var openedBy: String
    public var endedBy: String?
    /// How many individual alerts were folded into the crisis alert.
    public var folded: Int
    public var topTerms: [String]
    public var exampleIDs: [String]

    init?(_ c: CrisisRecord) {
        guard let id = c.id else { return nil }
        self.id = id
        brand = c.brand
        open = c.open
        origin = c.origin.rawValue
        startedAt = c.startedAt
        endedAt = c.endedAt
        summary = c.summary
        openedBy = c.openedBy
        endedBy = c.endedBy
        folded = c.folded
        topTerms = c.topTerms
        exampleIDs = c.exampleIDs
    }
}

extension Desk {
    /// Crises, open ones first, then the most recent, at most `limit` (`outcry crisis list`).
    public func crisisSummaries(limit: Int = 100) async throws -> [CrisisSummary] {
        try await store.crises(limit: limit).compactMap(CrisisSummary.init)
    }

    /// Ends a brand's open crisis (``endCrisis(brand:by:note:)``) and returns it as ended; none open is a `.conflict` ``DeskError``.
    public func endCrisisSummary(brand: String, by actor: String, note: String?) async throws -> CrisisSummary {
        let record = try await endCrisis(brand: brand, by: actor, note: note)
        guard let summary = CrisisSummary(record) else { throw DeskError(.notFound, "crisis of \(brand) has no id") }
        return summary
    }
}
