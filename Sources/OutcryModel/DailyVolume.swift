/// Mentions of one brand on one day (UTC) and how they felt: a row of the volume report.
public struct DailyVolume: Sendable, Equatable, Codable {
    public var brand: String
    /// `2026-11-23`.
    public var day: String
    public var mentions: Int
    public var negative: Int
    public var complaints: Int
    /// Mean compound sentiment, −1…1.
    public var meanSentiment: Double

    public init(brand: String, day: String, mentions: Int, negative: Int, complaints: Int, meanSentiment: Double) {
        self.brand = brand
        self.day = day
        self.mentions = mentions
        self.negative = negative
        self.complaints = complaints
        self.meanSentiment = meanSentiment
    }
}
