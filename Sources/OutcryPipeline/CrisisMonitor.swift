import Foundation
import Logging
import OutcryAlerting
import OutcryModel
import OutcryScoring
import OutcryStore
import ServiceLifecycle

/// The `crisis:` section: how readily a brand's spike of negative mentions becomes a crisis.
public struct CrisisSettings: Sendable, Equatable {
    public var sensitivity: CrisisSensitivity = .medium
    /// Hours of history before the detector may fire (a new brand has no baseline yet).
    public var warmupHours = 12
    /// EWMA weight of the newest hour (0.1 ≈ a ten-hour memory).
    public var alpha = 0.1
    /// The least expected count per hour, so a quiet brand is not alarmed by two mentions.
    public var minBaseline = 1.0
    /// How often the daemon looks (a cron pass looks once per pass).
    public var checkEvery: TimeInterval = 300
    /// A detected crisis ends by itself after this many closed hours without a spike.
    public var quietHoursToEnd = 3

    public init() {}

    var detector: CrisisDetector {
        CrisisDetector(sensitivity: sensitivity, alpha: alpha, minBaseline: minBaseline, warmupHours: warmupHours)
    }
}

/// Runs the per-brand crisis detector over the stored mentions: each brand's hourly count of
/// negative and complaint mentions against its own rolling baseline (`CrisisDetector`). A
/// spike opens a "possible crisis" — stored, with its alert queued in the same transaction. A
/// person who confirms it declares it (`outcry crisis declare`), and from then on the brand's
/// individual alerts fold into the crisis alert. A detected crisis ends by itself after
/// `quietHoursToEnd` quiet hours; a declared one only when a person ends it.
///
/// The detector's state is rebuilt from the store on every check (a week of hourly counts is a
/// few hundred numbers per brand), so a restart or a cron pass loses nothing.
public struct CrisisMonitor: Service {
    let store: Store
    let settings: CrisisSettings
    let brands: [String]
    let clock: any WallClock
    let logger: Logger
    let router: AlertRouter

    /// Hours of history replayed to rebuild the baseline.
    static let historyHours = 7 * 24

    /// `alerting`: the routing of the crisis alerts (nil: they are only logged).
    public init(store: Store, settings: CrisisSettings, brands: [String], alerting: AlertSettings? = nil, clock: any WallClock = SystemWallClock(),
                logger: Logger = Logger(label: "outcry.crisis")) {
        self.router = AlertRouter(settings: alerting, logger: logger)
        self.store = store
        self.settings = settings
        self.brands = brands
        self.clock = clock
        self.logger = logger
    }

    /// One look: opens a crisis for each brand whose last closed or current hour starts a spike,
    /// and ends detected crises that have been quiet. Returns the crises opened.
    @discardableResult
    public func check() async throws -> [CrisisRecord] {
        guard !brands.isEmpty else { return [] }
        let now = clock.now()
        let current = Int64((now.timeIntervalSince1970 / 3600).rounded(.down))
        let first = current - Int64(Self.historyHours)
        let counts = try await store.adverseHourlyCounts(from: Date(timeIntervalSince1970: Double(first) * 3600), to: now.addingTimeInterval(1))
        let open = Dictionary(try await store.crises(openOnly: true).map { ($0.brand, $0) }, uniquingKeysWith: { a, _ in a })
        var opened: [CrisisRecord] = []
        for brand in brands {
            let perHour = counts[brand] ?? [:]
            var detector = settings.detector
            var lastSpike: Int64?
            var event: (hour: Int64, event: CrisisEvent)?
            // Only the newest hour with data can matter for history before it; start there or at the window.
            let start = max(first, perHour.keys.min() ?? current)
            var hour = start
            while hour <= current {
                let count = perHour[hour] ?? 0
                let at = Date(timeIntervalSince1970: Double(hour) * 3600)
                if let e = detector.observe(brand: brand, hour: at, count: count), hour >= current - 1 { event = (hour, e) }
                if detector.isInSpike(brand) { lastSpike = hour }
                hour += 1
            }
            if let crisis = open[brand] {
                if crisis.origin == .detected, (lastSpike ?? Int64.min) < current - Int64(settings.quietHoursToEnd),
                   crisis.startedAt < now.addingTimeInterval(-Double(settings.quietHoursToEnd) * 3600) {
                    try await store.endCrisis(brand: brand, by: "outcry", note: "\(settings.quietHoursToEnd) quiet hours", now: now)
                    logger.notice("crisis of \(brand) ended after \(settings.quietHoursToEnd) quiet hours")
                }
                continue
            }
            guard let (spikeHour, e) = event else { continue }
            let hourDate = Date(timeIntervalSince1970: Double(spikeHour) * 3600)
            if try await store.crisisExists(brand: brand, hour: hourDate) { continue }
            let samples = try await store.adverseMentions(brand: brand, hour: spikeHour)
            let described = CrisisDetector.describe(e, samples: samples.map { CrisisSample(id: String($0.id), text: $0.text) })
            let record = CrisisRecord(
                brand: brand, origin: .detected, startedAt: now, hour: hourDate, count: described.count, baseline: described.baseline,
                pValue: described.pValue, topTerms: described.topTerms, exampleIDs: described.exampleIDs, summary: described.summary,
                openedBy: "outcry")
            let alert = Self.alert(record, examples: samples.prefix(3).map(\.text), now: now)
            let rows = try router.route(alert, threadID: nil, kind: "crisis", idempotencyKey: alert.id, crisisBrands: [], now: now).rows
            if let id = try await store.openCrisis(record, outbox: rows, now: now) {
                var stored = record
                stored.id = id
                opened.append(stored)
                logger.warning("\(described.summary)")
            }
        }
        return opened
    }

    /// The alert of a detected crisis (kind `crisis`, one per brand and spike hour).
    static func alert(_ c: CrisisRecord, examples: [String], now: Date) -> ThreadAlert {
        let key = "crisis|\(c.brand)|\(Int64((c.hour ?? c.startedAt).timeIntervalSince1970))"
        var reasons = [Reason(rule: "crisis.spike", evidence: c.summary, weight: 0)]
        if !c.topTerms.isEmpty { reasons.append(Reason(rule: "crisis.terms", evidence: c.topTerms.joined(separator: ", "), weight: 0)) }
        reasons.append(Reason(rule: "crisis.next", evidence: "if it is one, `outcry crisis declare '\(c.brand)'` folds the brand's alerts into this one", weight: 0))
        return ThreadAlert(
            id: key, threadID: "crisis-\(c.brand)", kind: .crisis, title: "Possible crisis: \(c.brand)", severity: .p1,
            brand: c.brand, source: "crisis detector", channel: .social, reasons: reasons,
            excerpt: examples.map { "• " + $0 }.joined(separator: "\n"), firedAt: now)
    }

    /// The alert of a crisis a person declared.
    static func declaredAlert(brand: String, by: String, note: String?, id: CrisisID, now: Date) -> ThreadAlert {
        ThreadAlert(
            id: "crisis|\(brand)|declared-\(id)", threadID: "crisis-\(brand)", kind: .crisis, title: "Crisis declared: \(brand)", severity: .p1,
            brand: brand, source: "declared by \(by)", channel: .social,
            reasons: [Reason(rule: "crisis.declared", evidence: "declared by \(by)" + (note.map { ": \($0)" } ?? ""), weight: 0)],
            excerpt: note ?? "", firedAt: now)
    }

    /// A person declares a crisis (its alert, routed by `alerting`, goes out unless one is already open).
    public static func declare(store: Store, alerting: AlertSettings?, brand: String, by: String, note: String?, now: Date) async throws -> CrisisID {
        let router = AlertRouter(settings: alerting)
        return try await store.declareCrisis(brand: brand, by: by, note: note, outbox: { id in
            let alert = declaredAlert(brand: brand, by: by, note: note, id: id, now: now)
            return try router.route(alert, threadID: nil, kind: "crisis", idempotencyKey: alert.id, crisisBrands: [], now: now).rows
        }, now: now)
    }

    public func run() async throws {
        await ServiceLoop.run("crisis check", logger: logger, failureWait: settings.checkEvery) {
            try await check()
            return settings.checkEvery
        }
    }
}
