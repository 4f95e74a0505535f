import Foundation
import OutcryModel
import OutcryScoring
import Yams

/// The `scoring:` section: domain additions on top of the scorer's defaults.
///
/// ```yaml
/// scoring:
///   lexicon: {bumped: -1.5, "gate lice": -2.0}          # valence −4…4; several words act as an idiom
///   urgency:                                             # added to the default term lists
///     regulator: [caa, "civil aviation authority"]
///   urgency_exclusions: {safety: ["fire sale"]}
///   complaint_cues:                                      # phrase: weight, per cue
///     failure: {bumped: 0.5, "denied boarding": 0.6}
///   complaint_threshold: 0.45
///   escalation:
///     velocity_per_hour: 10
///     reach_followers: 10000
///     reach_reposts: 50
///     repeat_within_days: 14
///     waiting_raise: 24h
///     priority_tiers: [gold, platinum]
///   retrain_after_labels: 50     # `outcry run` retrains the model after this many new labels (0: never)
/// ```
extension ConfigReader {
    static let scoringKeys = ["lexicon", "urgency", "urgency_exclusions", "complaint_cues", "complaint_threshold", "escalation",
                              "retrain_after_labels"]
    static let escalationKeys = ["velocity_per_hour", "reach_followers", "reach_reposts", "repeat_within_days", "waiting_raise", "priority_tiers"]

    mutating func readScoring(_ node: Node) -> ScoringConfig {
        var config = ScoringConfig()
        guard let map = mapping(node, "scoring") else { return config }
        checkKeys(map, allowed: Self.scoringKeys, in: "scoring")
        if let lexicon = map["lexicon"], let entries = mapping(lexicon, "scoring.lexicon") {
            for (key, value) in entries {
                guard let term = key.string?.lowercased(), !term.isEmpty else { continue }
                if let v = number(value, "lexicon '\(term)'", range: -4...4) { config.extraLexicon[term] = v }
            }
        }
        for (field, exclusions) in [("urgency", false), ("urgency_exclusions", true)] {
            guard let node = map[field], let lists = mapping(node, "scoring.\(field)") else { continue }
            for (key, value) in lists {
                guard let name = key.string else { continue }
                guard let category = UrgencyCategory(rawValue: name) else {
                    let names = UrgencyCategory.allCases.map(\.rawValue)
                    problem(key.mark, "unknown urgency category '\(name)' in scoring.\(field)",
                            hint: "write one of: \(names.joined(separator: ", "))\(suggestion(name, names))")
                    continue
                }
                let terms = strings(value, name).map { $0.lowercased() }.filter { !$0.isEmpty }
                if exclusions { config.urgencyExclusions[category, default: []] += terms } else { config.urgencyTerms[category, default: []] += terms }
            }
        }
        if let node = map["complaint_cues"], let cues = mapping(node, "scoring.complaint_cues") {
            for (key, value) in cues {
                guard let name = key.string else { continue }
                guard let cue = ComplaintCue(rawValue: name) else {
                    let names = ComplaintCue.allCases.map(\.rawValue)
                    problem(key.mark, "unknown complaint cue '\(name)'", hint: "write one of: \(names.joined(separator: ", "))\(suggestion(name, names))")
                    continue
                }
                guard let phrases = mapping(value, "scoring.complaint_cues.\(name)") else { continue }
                for (phrase, weight) in phrases {
                    guard let text = phrase.string?.lowercased(), !text.isEmpty else { continue }
                    if let w = number(weight, "complaint cue '\(text)'", range: -1...1) { config.complaintCues[cue, default: [:]][text] = w }
                }
            }
        }
        if let node = map["complaint_threshold"], let v = number(node, "complaint_threshold", range: 0...1) { config.complaintThreshold = v }
        if let n = map["retrain_after_labels"], let v = integer(n, "retrain_after_labels", min: 0) { config.retrainAfterLabels = v }
        if let node = map["escalation"], let esc = mapping(node, "scoring.escalation") {
            checkKeys(esc, allowed: Self.escalationKeys, in: "scoring.escalation")
            if let n = esc["velocity_per_hour"], let v = integer(n, "velocity_per_hour", min: 1) { config.escalation.velocityPerHour = v }
            if let n = esc["reach_followers"], let v = integer(n, "reach_followers", min: 1) { config.escalation.reachFollowers = v }
            if let n = esc["reach_reposts"], let v = integer(n, "reach_reposts", min: 1) { config.escalation.reachReposts = v }
            if let n = esc["repeat_within_days"], let v = number(n, "repeat_within_days", range: 0...3650) { config.escalation.repeatWithinDays = v }
            if let n = esc["waiting_raise"], let v = duration(n, "waiting_raise") { config.escalation.waitingRaiseSeconds = v }
            if let n = esc["priority_tiers"] { config.escalation.priorityTiers = Set(strings(n, "priority_tiers").map { $0.lowercased() }) }
        }
        return config
    }

    /// A number within `range`, or a problem at its line.
    mutating func number(_ node: Node, _ what: String, range: ClosedRange<Double>) -> Double? {
        guard let text = string(node, what) else { return nil }
        guard let value = Double(text), range.contains(value) else {
            problem(node.mark, "\(what) should be a number from \(range.lowerBound) to \(range.upperBound), not '\(text)'", hint: nil)
            return nil
        }
        return value
    }
}
