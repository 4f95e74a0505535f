import Foundation

/// How readily the crisis detector fires.
public enum CrisisSensitivity: String, Sendable, Codable, CaseIterable {
    case low, medium, high

    /// Poisson upper-tail probability below which an hour is a spike.
    var pValue: Double {
        switch self {
        case .low: 1e-6
        case .medium: 1e-4
        case .high: 1e-3
        }
    }

    /// The hour's count must also be at least this multiple of the baseline…
    var minRatio: Double {
        switch self {
        case .low: 3
        case .medium: 2
        case .high: 1.5
        }
    }

    /// …and at least this many mentions.
    var minCount: Int {
        switch self {
        case .low: 10
        case .medium: 6
        case .high: 4
        }
    }
}

/// One mention counted in an hour: its id and text (for top terms and examples).
public struct CrisisSample: Sendable, Equatable {
    public var id: String
    public var text: String
    public init(id: String, text: String) { self.id = id; self.text = text }
}

/// A "possible crisis": an hour whose negative/complaint count is far above the brand's own
/// baseline.
public struct CrisisEvent: Sendable, Equatable {
    public var brand: String
    public var hour: Date
    public var count: Int
    public var baseline: Double
    /// P(X ≥ count) under Poisson(baseline).
    public var pValue: Double
    public var topTerms: [String]
    public var exampleIDs: [String]

    /// `possible crisis for acme: 42 negative mentions in the hour vs 3.1 expected (p=1e-20); terms: outage, down`
    public var summary: String {
        "possible crisis for \(brand): \(count) negative mentions in the hour vs \(String(format: "%.1f", baseline)) expected"
            + " (p=\(String(format: "%.0e", pValue)))" + (topTerms.isEmpty ? "" : "; terms: " + topTerms.joined(separator: ", "))
    }
}

/// Per-brand spike detection on hourly counts of negative + complaint mentions.
///
/// The baseline is an EWMA of past hourly counts (`alpha`, default 0.1 ≈ a 10-hour memory),
/// floored at `minBaseline` so a quiet brand is not alarmed by two mentions. An hour is a spike
/// when its count is improbable under Poisson(baseline) (p below the sensitivity's threshold),
/// at least `minRatio` × baseline and at least `minCount`. A spike fires once: further spike
/// hours are part of the same episode until an hour falls back under the threshold. Spike hours
/// do not feed the baseline, so a crisis does not teach the detector that crises are normal;
/// a slow rise does, and so does not fire. No alarms until `warmupHours` hours were seen.
///
/// Pure: feed it hours in order with `observe`; it keeps only a few numbers per brand.
public struct CrisisDetector: Sendable {
    public var sensitivity: CrisisSensitivity
    public var alpha: Double
    public var minBaseline: Double
    public var warmupHours: Int

    struct BrandState: Sendable {
        var baseline = 0.0
        var hours = 0
        var inSpike = false
    }

    private var states: [String: BrandState] = [:]

    public init(sensitivity: CrisisSensitivity = .medium, alpha: Double = 0.1, minBaseline: Double = 1, warmupHours: Int = 12) {
        self.sensitivity = sensitivity
        self.alpha = alpha
        self.minBaseline = minBaseline
        self.warmupHours = warmupHours
    }

    /// The current baseline for a brand (expected negative mentions per hour).
    public func baseline(for brand: String) -> Double { states[brand]?.baseline ?? 0 }

    /// Whether the last hour observed for a brand was part of a spike.
    public func isInSpike(_ brand: String) -> Bool { states[brand]?.inSpike ?? false }

    /// Feeds one hour's negative/complaint mentions for a brand; returns an event when the
    /// hour starts a spike.
    public mutating func observe(brand: String, hour: Date, count: Int, samples: [CrisisSample] = []) -> CrisisEvent? {
        var s = states[brand] ?? BrandState()
        defer { states[brand] = s }
        let expected = max(s.baseline, minBaseline)
        let p = Self.poissonUpperTail(count, expected)
        let spike = s.hours >= warmupHours && count >= sensitivity.minCount
            && Double(count) >= sensitivity.minRatio * expected && p < sensitivity.pValue
        if spike {
            let first = !s.inSpike
            s.inSpike = true
            guard first else { return nil }
            return CrisisEvent(
                brand: brand, hour: hour, count: count, baseline: expected, pValue: p,
                topTerms: Self.topTerms(samples), exampleIDs: Array(samples.prefix(5).map(\.id)))
        }
        s.inSpike = false
        s.baseline = s.hours == 0 ? Double(count) : alpha * Double(count) + (1 - alpha) * s.baseline
        s.hours += 1
        return nil
    }

    /// The event with its top terms and examples taken from these samples (mentions of the
    /// spike hour looked up after the detector fired).
    public static func describe(_ event: CrisisEvent, samples: [CrisisSample]) -> CrisisEvent {
        var e = event
        e.topTerms = topTerms(samples)
        e.exampleIDs = Array(samples.prefix(5).map(\.id))
        return e
    }

    /// P(X ≥ k) for X ~ Poisson(λ), summed from k upwards in log space (no cancellation).
    static func poissonUpperTail(_ k: Int, _ lambda: Double) -> Double {
        if k <= 0 { return 1 }
        var term = exp(-lambda + Double(k) * log(lambda) - lgamma(Double(k) + 1))
        var sum = term
        var i = k
        while term > sum * 1e-12 && i < k + 10_000 {
            i += 1
            term *= lambda / Double(i)
            sum += term
        }
        return min(1, sum)
    }

    private static let stop: Set<String> = [
        "the", "and", "for", "you", "your", "with", "this", "that", "have", "has", "was", "are", "not", "but", "just",
        "what", "why", "from", "they", "been", "can", "will", "our", "its", "it's", "i'm", "get", "now", "all", "any",
        "still", "when", "how", "who", "out", "about", "there", "their", "than", "then", "again", "very", "really",
    ]

    static func topTerms(_ samples: [CrisisSample], limit: Int = 5) -> [String] {
        var counts: [String: Int] = [:]
        for sample in samples {
            var seen = Set<String>()
            for w in QueryDocument.words(sample.text) where w.count >= 3 && !w.hasPrefix("@") {
                let word = String(w)
                if stop.contains(word) || !seen.insert(word).inserted { continue }
                counts[word, default: 0] += 1
            }
        }
        return counts.filter { $0.value >= 2 }.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
            .prefix(limit).map(\.key)
    }
}
