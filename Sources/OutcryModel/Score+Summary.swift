extension Score {
    /// One line a support lead can read, e.g.
    /// `P1: legal threat ('my lawyer'); negative (-0.82: 'worst', 'never again'); 12 mentions in this thread in 1 h`.
    public var summary: String {
        var parts: [String] = []
        for r in reasons where r.rule.hasPrefix("urgency.") {
            let name = UrgencyCategory(rawValue: String(r.rule.dropFirst(8)))?.displayName ?? r.rule
            parts.append("\(name) (\(r.evidence))")
        }
        if sentiment.scored && sentiment.label != .neutral {
            let words = reasons.filter { ["lexicon", "negation", "idiom", "emoji", "emoticon", "emphasis"].contains($0.rule) }
                .filter { ($0.weight < 0) == (sentiment.label == .negative) }
                .map(\.evidence).uniqued().prefix(3)
            let c = (sentiment.compound * 100).rounded() / 100
            parts.append("\(sentiment.label.rawValue) (\(c)\(words.isEmpty ? "" : ": " + words.joined(separator: ", ")))")
        } else if !sentiment.scored, let r = reasons.first(where: { $0.rule == "language" }) {
            parts.append(r.evidence)
        }
        if complaint.isComplaint {
            let cues = reasons.filter { $0.rule.hasPrefix("complaint.") && $0.weight > 0 && $0.rule != "complaint.negative_tone" && $0.rule != "complaint.tone" }
                .map(\.evidence).uniqued().prefix(3)
            let sc = (complaint.score * 100).rounded() / 100
            parts.append("complaint \(sc)\(cues.isEmpty ? "" : " (" + cues.joined(separator: ", ") + ")")")
        }
        for r in reasons where r.rule.hasPrefix("severity.") && r.rule != "severity.rule" {
            parts.append(r.evidence)
        }
        let head = severity == .none ? "none" : severity.rawValue
        return parts.isEmpty ? head : head + ": " + parts.joined(separator: "; ")
    }
}

extension UrgencyCategory {
    /// How a support lead would name the category.
    public var displayName: String {
        switch self {
        case .legal: "legal threat"
        case .safety: "safety/health"
        case .privacy: "data/privacy"
        case .regulator: "regulator"
        case .press: "press/influencer"
        case .churn: "churn threat"
        case .discrimination: "discrimination"
        case .vulnerable: "vulnerable customer"
        }
    }
}

extension Sequence where Element: Hashable {
    /// The elements in order, each once.
    func uniqued() -> [Element] {
        var seen = Set<Element>()
        return filter { seen.insert($0).inserted }
    }
}
