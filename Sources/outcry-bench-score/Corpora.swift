import Foundation
import OutcryModel
import OutcryScoring

/// Readers for the training and evaluation corpora in ../shared/corpora (see docs/scorer.md).
enum Corpora {
    static let root = ProcessInfo.processInfo.environment["OUTCRY_CORPORA"] ?? "/work/shared/corpora"

    static func lines(_ path: String) throws -> [Substring] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ModelFileError("cannot read \(path)")
        }
        return String(decoding: data, as: UTF8.self).split(whereSeparator: { $0.isNewline })
    }

    /// The negative emotions that read as a grievance (weak complaint labels).
    static let grievance: Set<String> = ["anger", "annoyance", "disappointment", "disapproval", "disgust"]

    /// GoEmotions split → labels. Sentiment from the authors' groups: positive emotions only →
    /// positive, negative only → negative, neither (neutral or ambiguous) → neutral, both →
    /// no sentiment label. Complaint (weak): a grievance emotion and no positive one → true;
    /// otherwise false.
    static func goEmotions(_ split: String) throws -> [LabelExample] {
        let dir = root + "/goemotions"
        let names = try lines(dir + "/labels.txt").map { String($0).trimmingCharacters(in: .whitespaces) }
        guard let groupData = FileManager.default.contents(atPath: dir + "/sentiment_groups.json"),
              let groups = try JSONSerialization.jsonObject(with: groupData) as? [String: [String]] else {
            throw ModelFileError("\(dir)/sentiment_groups.json: not a JSON object of lists")
        }
        let positive = Set(groups["positive"] ?? []), negative = Set(groups["negative"] ?? [])
        var out: [LabelExample] = []
        for (n, line) in try lines(dir + "/" + split + ".tsv").enumerated() {
            let parts = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard parts.count >= 2 else { throw ModelFileError("\(dir)/\(split).tsv:\(n + 1): expected text<TAB>labels") }
            let emotions = parts[1].split(separator: ",").compactMap { Int($0) }.compactMap { $0 < names.count ? names[$0] : nil }
            let pos = emotions.contains { positive.contains($0) }, neg = emotions.contains { negative.contains($0) }
            let sentiment: SentimentLabel? = pos && neg ? nil : pos ? .positive : neg ? .negative : .neutral
            let complaint = !pos && emotions.contains { grievance.contains($0) }
            out.append(LabelExample(id: LabelID(Int64(n + 1)), text: String(parts[0]), sentiment: sentiment, complaint: complaint))
        }
        return out
    }

    /// The VADER sets whose strongly negative texts (≤ −1.0) are weak complaints: reviews of
    /// a product (a film is one too). Tweets and editorials are not: their strongly negative
    /// texts are as often grief or politics as a grievance with a seller.
    nonisolated(unsafe) static var complaintSets: Set<String> = ["amazonReviewSnippets", "movieReviewSnippets"]

    static let vaderSets = ["tweets", "amazonReviewSnippets", "movieReviewSnippets", "nytEditorialSnippets"]

    /// A VADER ground-truth set → labels. Mean rating ≥ 0.5 positive, ≤ −0.5 negative, else
    /// neutral (as scripts/eval_sentiment.py). Complaint (weak): product reviews rated ≤ −1.0 are
    /// complaints; anything rated ≥ 0.5 is not; the rest carry no complaint label.
    static func vader(_ set: String, weakComplaints: Bool = true) throws -> [LabelExample] {
        let path = root + "/vader-groundtruth/\(set)_GroundTruth.txt"
        var out: [LabelExample] = []
        for (n, line) in try lines(path).enumerated() {
            let parts = line.split(separator: "\t", maxSplits: 2, omittingEmptySubsequences: false)
            guard parts.count == 3, let rating = Double(parts[1]) else { throw ModelFileError("\(path):\(n + 1): expected id<TAB>rating<TAB>text") }
            let sentiment: SentimentLabel = rating >= 0.5 ? .positive : rating <= -0.5 ? .negative : .neutral
            var complaint: Bool? = nil
            if weakComplaints {
                if rating >= 0.5 { complaint = false } else if complaintSets.contains(set) && rating <= -1.0 { complaint = true }
            }
            let text = String(parts[2]).replacingOccurrences(of: "&amp;", with: "&")
            out.append(LabelExample(id: LabelID(Int64(n + 1)), text: text, sentiment: sentiment, complaint: complaint))
        }
        return out
    }

    /// The hand-written posts (Tests/OutcryScoringTests/Fixtures/handwritten.jsonl).
    struct Post {
        var label: LabelExample
        var kind: String
    }

    static func handwritten(_ path: String) throws -> [Post] {
        var out: [Post] = []
        for (n, line) in try lines(path).enumerated() {
            guard let o = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], let text = o["text"] as? String else {
                throw ModelFileError("\(path):\(n + 1): expected a JSON object with \"text\"")
            }
            let urgency = (o["urgency"] as? [String])?.compactMap(UrgencyCategory.init(rawValue:)) ?? []
            out.append(Post(label: LabelExample(
                id: LabelID(Int64(n + 1)), text: text, sentiment: (o["sentiment"] as? String).flatMap(SentimentLabel.init(rawValue:)),
                complaint: o["complaint"] as? Bool, urgency: urgency), kind: o["kind"] as? String ?? ""))
        }
        return out
    }
}
