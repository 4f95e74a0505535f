import Foundation
import OutcryAlerting
import OutcryModel
import OutcryPipeline

/// The SLA report (`outcry report`): response times, breaches, fairness and volume, rendered as
/// a table, CSV or JSON.
public struct ReportDocument: Sendable {
    let report: Report

    /// The tables one can ask for alone (`--table`): response_times, breaches, fairness, volume.
    public static var tableNames: [String] { ReportTable.allCases.map(\.rawValue) }

    /// A period before now, such as 30d, 12w or 48h, in seconds; nil when it is not one.
    public static func parseSince(_ text: String) -> TimeInterval? { AlertReport.parseSince(text) }

    public func json() -> Data { report.json() }
    /// The readable tables, fitted to `width` columns.
    public func text(width: Int) -> String { report.text(width: width) }
    /// One table as CSV (`name` one of ``tableNames``; an unknown name gives the response times).
    public func csv(table name: String) -> String { report.csv(ReportTable(rawValue: name) ?? .responseTimes) }
    /// The two tables scripts have read since the first version: the summary and the fairness view.
    public func csv() -> String { report.csv() }
    public func fairnessCSV() -> String { report.fairnessCSV() }
}

extension Desk {
    /// The report over the threads opened since `since` (nil: all), with per-person figures when asked.
    public func report(since: Date?, perPerson: Bool, now: Date) async throws -> ReportDocument {
        ReportDocument(report: try await AlertReport.build(store: store, config: alertingConfig, since: since, perPerson: perPerson, now: now))
    }
}

/// A sample alert for `outcry routes test`, as the command line gives it (words, checked here),
/// or a stored thread's facts with `thread`.
public struct RouteSample: Sendable {
    public var thread: ThreadID?
    public var severity = "P2"
    public var urgency: [String] = []
    public var channel = "social"
    public var brand: String?
    public var segment: String?
    public var source = "sample"
    public var kind = "new_thread"
    /// Brands taken to be in crisis (besides the declared ones, for a stored thread).
    public var crisis: [String] = []
    /// The instant to evaluate at (ISO 8601), for quiet hours; nil: now.
    public var at: String?

    public init() {}
}

/// A sample that cannot be built: a value that is not a severity, channel, category, kind or instant.
public struct RouteSampleError: Error, CustomStringConvertible, Sendable {
    public let description: String
}

/// The configuration has no `alerting:` section, so no routes to test.
public struct RoutesNotConfigured: Error, CustomStringConvertible, Sendable {
    public var description: String { "the configuration has no routes: (alerting is not configured)" }
}

extension Application {
    /// Which routes `sample` reaches, why, and what happens to it, in words (`outcry routes test`).
    /// Throws ``RoutesNotConfigured``, ``RouteSampleError`` for a bad value, and ``StoreUnavailable``
    /// when a stored thread is asked for and the store cannot be opened.
    public func explainRoutes(_ sample: RouteSample) async throws -> String {
        guard let section = config.alerting else { throw RoutesNotConfigured() }
        let tree = try section.config.routingTree()
        var now = Date()
        if let at = sample.at {
            guard let d = ISO8601DateFormatter().date(from: at) else { throw RouteSampleError(description: "--at: '\(at)' is not an ISO 8601 instant") }
            now = d
        }
        let alert: ThreadAlert
        var crisisBrands = Set(sample.crisis)
        if let thread = sample.thread {
            let (facts, open) = try await withDesk { desk in (try await desk.store.threadAlertFacts(thread), try await desk.store.declaredCrisisBrands()) }
            crisisBrands.formUnion(open)
            alert = ThreadAlert(id: "t\(thread)", threadID: String(thread), kind: AlertKind(rawValue: sample.kind) ?? .newThread, title: facts.thread.title,
                                severity: facts.thread.severity, urgency: facts.urgency, brand: sample.brand ?? facts.thread.brand,
                                source: facts.thread.sourceName, channel: facts.thread.channel, segment: sample.segment ?? facts.thread.segment,
                                language: facts.language, firedAt: now)
        } else {
            guard let sev = Severity(rawValue: sample.severity) else {
                throw RouteSampleError(description: "--severity: '\(sample.severity)' is not P1, P2, P3, P4 or none")
            }
            guard let ch = Channel(rawValue: sample.channel) else { throw RouteSampleError(description: "--channel: '\(sample.channel)' is not feed, social or mail") }
            let urg = try sample.urgency.map { u in
                guard let c = UrgencyCategory(rawValue: u) else { throw RouteSampleError(description: "--urgency: '\(u)' is not an urgency category") }
                return c
            }
            guard let k = AlertKind(rawValue: sample.kind) else { throw RouteSampleError(description: "--kind: '\(sample.kind)' is not an alert kind") }
            alert = ThreadAlert(id: "sample", threadID: "sample", kind: k, title: "sample alert", severity: sev, urgency: urg, brand: sample.brand,
                                source: sample.source, channel: ch, segment: sample.segment, firedAt: now)
        }
        return Self.explain(tree.decide(alert, crisisBrands: crisisBrands, now: now), now: now)
    }

    static func explain(_ decisions: [RoutingDecision], now: Date) -> String {
        var out = ""
        for d in decisions {
            out += "→ \(d.match.receiver)  (route \(d.match.route.id), group \(d.match.groupKey))\n"
            for r in d.reasons { out += "    \(r)\n" }
            switch d.action {
            case .deliver(let at):
                out += at > now ? "    decision: deliver at \(at.formatted(.iso8601)) (held)\n" : "    decision: deliver now\n"
            case .foldIntoCrisis(let brand):
                out += "    decision: fold into the crisis alert of \(brand)\n"
            }
        }
        return out
    }
}
