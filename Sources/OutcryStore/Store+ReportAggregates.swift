import Foundation
import OutcryModel
import SQLKit

/// The dashboard's reports, each aggregated by the database: no thread is loaded.
public struct ReportAggregates: Sendable {
    /// Threads opened in the window by how long their first response (acknowledged or
    /// responded) took: `< 15m`, `15m–1h`, `1h–4h`, `4h–24h`, `> 24h`, `none yet`.
    public var responseTimes: [(bucket: String, threads: Int)]
    /// Per UTC day of opening: threads with a target, and those first answered within it.
    public var attainment: [(day: String, threads: Int, withinTarget: Int)]
    /// Mentions per brand (`-` without one) and UTC day, with their mean sentiment (−1…1).
    public var volume: [(brand: String, day: String, mentions: Int, meanSentiment: Double?)]
    /// Crises that started in the window, detected or declared, per brand and UTC day.
    public var crises: [(brand: String, day: String, origin: String)]
    /// Per segment (`-` without one): threads, answered ones, their mean first-response seconds,
    /// and those answered within target.
    public var fairness: [(segment: String, threads: Int, answered: Int, meanResponseSeconds: Double?, withinTarget: Int)]

    public static let buckets = ["< 15m", "15m–1h", "1h–4h", "4h–24h", "> 24h", "none yet"]
}

extension Store {
    /// The reports over threads opened (and mentions published) since `since`. `targets` is the
    /// first-response target per severity (the SLA's acknowledge target, wall-clock time); a
    /// severity without one does not count toward attainment.
    public func reportAggregates(since: Date, targets: [Severity: TimeInterval]) async throws -> ReportAggregates {
        let from = since.timeIntervalSince1970
        // The first response of each thread opened in the window, and its severity's target.
        var targetCase = "CASE t.severity"
        for (severity, seconds) in targets.sorted(by: { $0.key.rank < $1.key.rank }) {
            targetCase += " WHEN '\(severity.rawValue)' THEN \(seconds)"
        }
        targetCase = targets.isEmpty ? "CAST(NULL AS REAL)" : targetCase + " END"
        if dialect.backend == .postgres { targetCase = targetCase.replacingOccurrences(of: "AS REAL", with: "AS DOUBLE PRECISION") }
        let firsts: SQLQueryString = """
            SELECT t.id, t.opened_at, COALESCE(t.segment, '-') AS segment,
              (SELECT MIN(e.at) FROM thread_events e WHERE e.thread_id = t.id AND e.kind IN ('acknowledged', 'responded')) - t.opened_at AS d,
              \(unsafeRaw: targetCase) AS target
            FROM threads t WHERE t.opened_at >= \(bind: from)
            """
        let buckets = try await sql.raw("""
            SELECT CASE WHEN d IS NULL THEN 'none yet' WHEN d < 900 THEN '< 15m' WHEN d < 3600 THEN '15m–1h'
              WHEN d < 14400 THEN '1h–4h' WHEN d < 86400 THEN '4h–24h' ELSE '> 24h' END AS bucket, COUNT(*) AS n
            FROM (
            """ + firsts + ") AS f GROUP BY 1").all()
        var counts: [String: Int] = [:]
        for row in buckets { counts[try row.decode(column: "bucket", as: String.self)] = try row.decode(column: "n", as: Int.self) }
        let day = dialect.utcDay("f.opened_at")
        let attainment = try await sql.raw("""
            SELECT \(unsafeRaw: day) AS day, COUNT(*) AS n, SUM(CASE WHEN d IS NOT NULL AND d <= target THEN 1 ELSE 0 END) AS ok
            FROM (
            """ + firsts + ") AS f WHERE f.target IS NOT NULL GROUP BY 1 ORDER BY 1").all().map { row in
            (day: try row.decode(column: "day", as: String.self), threads: try row.decode(column: "n", as: Int.self),
             withinTarget: try row.decode(column: "ok", as: Int?.self) ?? 0)
        }
        let fairness = try await sql.raw("""
            SELECT f.segment AS segment, COUNT(*) AS n, COUNT(d) AS answered, AVG(d) AS mean,
              SUM(CASE WHEN d IS NOT NULL AND target IS NOT NULL AND d <= target THEN 1 ELSE 0 END) AS ok
            FROM (
            """ + firsts + ") AS f GROUP BY f.segment ORDER BY f.segment").all().map { row in
            (segment: try row.decode(column: "segment", as: String.self), threads: try row.decode(column: "n", as: Int.self),
             answered: try row.decode(column: "answered", as: Int.self), meanResponseSeconds: try row.decode(column: "mean", as: Double?.self),
             withinTarget: try row.decode(column: "ok", as: Int?.self) ?? 0)
        }
        let mentionDay = dialect.utcDay("COALESCE(published_at, fetched_at)")
        let volume = try await sql.raw("""
            SELECT COALESCE(brand, '-') AS brand, \(unsafeRaw: mentionDay) AS day, COUNT(*) AS n, AVG(sentiment) AS s FROM mentions
            WHERE COALESCE(published_at, fetched_at) >= \(bind: from) GROUP BY 1, 2 ORDER BY 1, 2
            """).all().map { row in
            (brand: try row.decode(column: "brand", as: String.self), day: try row.decode(column: "day", as: String.self),
             mentions: try row.decode(column: "n", as: Int.self), meanSentiment: try row.decode(column: "s", as: Double?.self))
        }
        let crisisDay = dialect.utcDay("started_at")
        let crises = try await sql.raw("""
            SELECT brand, \(unsafeRaw: crisisDay) AS day, origin FROM crises WHERE started_at >= \(bind: from) ORDER BY started_at, id
            """).all().map { row in
            (brand: try row.decode(column: "brand", as: String.self), day: try row.decode(column: "day", as: String.self),
             origin: try row.decode(column: "origin", as: String.self))
        }
        return ReportAggregates(responseTimes: ReportAggregates.buckets.map { ($0, counts[$0] ?? 0) }, attainment: attainment,
                                volume: volume, crises: crises, fairness: fairness)
    }
}
