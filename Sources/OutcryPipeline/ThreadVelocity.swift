import Foundation
import OutcryModel
import OutcryStore

/// Velocity for the scorer: how many mentions each mention's thread had in the last hour,
/// counting the stored thread it replies to and the other mentions of the same batch in the
/// same reply chain (a fetched burst of replies counts before any of it is stored).
///
/// A mention that starts a conversation counts itself and the batch's replies to it.
enum ThreadVelocity {
    static let window: TimeInterval = 3600

    /// The per-position counts for a batch, given the stored threads' counts by key (from
    /// `Store.threadActivity(ofKeys:since:)`).
    static func counts(_ mentions: [Mention], stored: [String: Int], now: Date) -> [Int] {
        let since = now - window
        var position: [String: Int] = [:]
        for (i, m) in mentions.enumerated() { position[m.key] = i }
        // The root of each mention's chain inside the batch, and the stored thread it joins.
        var root = [Int](mentions.indices)
        var storedCount = [Int](repeating: 0, count: mentions.count)
        func find(_ i: Int) -> Int {
            var i = i
            while root[i] != i { root[i] = root[root[i]]; i = root[i] }
            return i
        }
        for (i, m) in mentions.enumerated() {
            for parent in m.parentKeys {
                if let j = position[parent], j != i {
                    let (a, b) = (find(i), find(j))
                    if a != b { root[a] = b }
                    break
                }
                if let n = stored[parent] {
                    storedCount[i] = n
                    break
                }
            }
        }
        var batchCount: [Int: Int] = [:]
        var storedByRoot: [Int: Int] = [:]
        for (i, m) in mentions.enumerated() {
            let r = find(i)
            if (m.publishedAt ?? now) >= since { batchCount[r, default: 0] += 1 }
            storedByRoot[r] = max(storedByRoot[r] ?? 0, storedCount[i])
        }
        return mentions.indices.map { i in
            let r = find(i)
            return max(1, (batchCount[r] ?? 0) + (storedByRoot[r] ?? 0))
        }
    }

    /// The counts for a batch, asking the store for the stored threads its replies join.
    static func counts(for mentions: [Mention], store: Store, now: Date) async throws -> [Int] {
        let keys = mentions.flatMap(\.parentKeys)
        let stored = keys.isEmpty ? [:] : try await store.threadActivity(ofKeys: keys, since: now - window)
        return counts(mentions, stored: stored, now: now)
    }
}
