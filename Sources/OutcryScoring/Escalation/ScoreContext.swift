/// Facts about a mention that are not in its text, passed in by the pipeline.
///
/// All fields are optional: an unknown fact simply does not count.
public struct ScoreContext: Sendable, Equatable {
    /// Mentions in the same thread or topic during the last hour (including this one).
    public var mentionsInLastHour: Int?
    /// Days since the same customer's previous complaint, if they made one.
    public var daysSincePreviousComplaint: Double?
    /// How long the customer has been waiting for an answer, in seconds.
    public var waitingSeconds: Double?
    /// The customer's segment or tier from the CRM (`"gold"`, `"enterprise"`, …).
    public var customerTier: String?

    public init(
        mentionsInLastHour: Int? = nil, daysSincePreviousComplaint: Double? = nil,
        waitingSeconds: Double? = nil, customerTier: String? = nil
    ) {
        self.mentionsInLastHour = mentionsInLastHour
        self.daysSincePreviousComplaint = daysSincePreviousComplaint
        self.waitingSeconds = waitingSeconds
        self.customerTier = customerTier
    }
}
