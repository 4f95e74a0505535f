import Foundation
import OutcryModel
import OutcryStore

/// A brand's crisis as `outcry crisis list` shows it: detected (a spike of negative mentions) or declared.
public struct CrisisSummary: Sendable, Equatable {
    public var id: CrisisID
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

    public var detected: Bool { origin == "detected" }

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
