import OutcryModel

/// Thresholds that turn a scored mention into a severity. Defaults in parentheses.
///
/// The rules, applied in this order (the most urgent that fits wins):
/// - **P1**: an urgency category in `p1Categories` (legal, safety, privacy, regulator), whatever
///   the sentiment says: urgency cues are threats and reports ("gave my son an electric shock",
///   "leaked my credit card number"), and words a general lexicon rates positive ("safety",
///   "credit") must not cancel them.
/// - **P2**: an urgency category in `p2Categories` (press, discrimination, vulnerable), whatever
///   the sentiment; or a *strong* complaint (score ≥ `strongComplaint` 0.7, or a complaint with compound ≤
///   `strongNegative` −0.6) that has reach (followers ≥ `reachFollowers` 10 000 or reposts ≥
///   `reachReposts` 50), is a repeat (previous complaint within `repeatWithinDays` 14 days) or is
///   in a busy thread (≥ `velocityPerHour` 10 mentions in the last hour).
/// - **P3**: any complaint; a churn threat; a negative mention (compound
///   ≤ `strongNegative`); a negative mention in a busy thread.
/// - **P4**: a mildly negative mention, or any urgency match.
/// - otherwise none.
///
/// Then two raises, each by one level and never above P2 (P1 is for content alone):
/// - waiting longer than `waitingRaiseSeconds` (24 h) raises a complaint;
/// - a customer tier in `priorityTiers` raises a mention that already has a severity.
/// Neither can lower a severity: value raises attention but never reduces what the content
/// deserves, and the reasons say when it played a part.
public struct EscalationPolicy: Sendable, Equatable {
    public var p1Categories: Set<UrgencyCategory>
    public var p2Categories: Set<UrgencyCategory>
    public var strongComplaint: Double
    public var strongNegative: Double
    public var reachFollowers: Int
    public var reachReposts: Int
    public var repeatWithinDays: Double
    public var velocityPerHour: Int
    public var waitingRaiseSeconds: Double
    public var priorityTiers: Set<String>

    public init(
        p1Categories: Set<UrgencyCategory> = [.legal, .safety, .privacy, .regulator],
        p2Categories: Set<UrgencyCategory> = [.press, .discrimination, .vulnerable],
        strongComplaint: Double = 0.7,
        strongNegative: Double = -0.6,
        reachFollowers: Int = 10_000,
        reachReposts: Int = 50,
        repeatWithinDays: Double = 14,
        velocityPerHour: Int = 10,
        waitingRaiseSeconds: Double = 86_400,
        priorityTiers: Set<String> = ["gold", "platinum", "enterprise", "vip"]
    ) {
        self.p1Categories = p1Categories
        self.p2Categories = p2Categories
        self.strongComplaint = strongComplaint
        self.strongNegative = strongNegative
        self.reachFollowers = reachFollowers
        self.reachReposts = reachReposts
        self.repeatWithinDays = repeatWithinDays
        self.velocityPerHour = velocityPerHour
        self.waitingRaiseSeconds = waitingRaiseSeconds
        self.priorityTiers = priorityTiers
    }

    /// The severity for a scored mention, appending the reasons that decided it.
    public func severity(
        sentiment: Sentiment, complaint: ComplaintIntent, urgency: [UrgencyCategory], reach: Reach,
        context: ScoreContext, reasons: inout [Reason]
    ) -> Severity {
        let negative = sentiment.label == .negative
        let adverse = negative || complaint.isComplaint
        let strong = complaint.isComplaint && (complaint.score >= strongComplaint || sentiment.compound <= strongNegative)
        let followers = reach.followers ?? 0
        let reposts = reach.reposts ?? 0
        let hasReach = followers >= reachFollowers || reposts >= reachReposts
        let isRepeat = context.daysSincePreviousComplaint.map { $0 <= repeatWithinDays } ?? false
        let velocity = context.mentionsInLastHour ?? 0
        let busy = velocity >= velocityPerHour

        var level: Severity = .none
        var why = ""
        func set(_ s: Severity, _ text: @autoclosure () -> String) {
            if s > level { level = s; why = text() }
        }
        let p1Hit = urgency.filter { p1Categories.contains($0) }
        let p2Hit = urgency.filter { p2Categories.contains($0) }
        // Urgency sets its level whatever the sentiment: the tone can only add words to the reason.
        func tone() -> String { adverse ? " with \(negative ? "negative" : "complaint") content" : "" }
        if !p1Hit.isEmpty { set(.p1, "\(names(p1Hit))\(tone())") }
        if !p2Hit.isEmpty { set(.p2, "\(names(p2Hit))\(tone())") }
        if strong && (hasReach || isRepeat || busy) {
            var parts: [String] = []
            if hasReach { parts.append("reach") }
            if isRepeat { parts.append("repeat complaint") }
            if busy { parts.append("busy thread") }
            set(.p2, "strong complaint with \(parts.joined(separator: ", "))")
        }
        if complaint.isComplaint { set(.p3, "complaint") }
        if urgency.contains(.churn) { set(.p3, "churn threat") }
        if sentiment.compound <= strongNegative { set(.p3, "strongly negative") }
        if negative && busy { set(.p3, "negative in a busy thread") }
        if negative { set(.p4, "negative") }
        if !urgency.isEmpty { set(.p4, names(urgency)) }
        if level != .none { reasons.append(Reason(rule: "severity.rule", evidence: why, weight: Double(5 - level.rank))) }

        if hasReach && adverse {
            reasons.append(Reason(rule: "severity.reach", evidence: "\(followers) followers, \(reposts) reposts", weight: 0))
        }
        if isRepeat && complaint.isComplaint, let days = context.daysSincePreviousComplaint {
            reasons.append(Reason(rule: "severity.repeat", evidence: "previous complaint \(Self.format(days)) days ago", weight: 0))
        }
        if busy && adverse {
            reasons.append(Reason(rule: "severity.velocity", evidence: "\(velocity) mentions in this thread in 1 h", weight: 0))
        }
        if let waited = context.waitingSeconds, waited >= waitingRaiseSeconds, complaint.isComplaint {
            let raised = raise(level)
            if raised != level {
                reasons.append(Reason(rule: "severity.waiting", evidence: "waiting \(Self.format(waited / 3600)) h: \(level.rawValue)→\(raised.rawValue)", weight: 1))
                level = raised
            }
        }
        if let tier = context.customerTier, priorityTiers.contains(tier.lowercased()), level != .none {
            let raised = raise(level)
            if raised != level {
                reasons.append(Reason(rule: "severity.value", evidence: "customer tier '\(tier)': \(level.rawValue)→\(raised.rawValue)", weight: 1))
                level = raised
            }
        }
        return level
    }

    private func raise(_ s: Severity) -> Severity {
        switch s {
        case .p4: .p3
        case .p3: .p2
        default: s
        }
    }

    private func names(_ categories: [UrgencyCategory]) -> String {
        categories.map(\.displayName).joined(separator: ", ")
    }

    static func format(_ x: Double) -> String {
        x == x.rounded() ? String(Int(x)) : String((x * 10).rounded() / 10)
    }
}
