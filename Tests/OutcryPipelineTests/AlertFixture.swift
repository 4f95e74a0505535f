import Foundation
import OutcryAlerting
import OutcryFetch
import OutcryModel
@testable import OutcryPipeline
import OutcryStore
import OutcryTestSupport

let alertT0 = Date(timeIntervalSince1970: 1_795_000_000)  // 2026-11-18T11:06:40Z, a Wednesday

/// A store in a temporary directory with one source, a manual clock, a fetch client and the
/// alerting services built from a JSON configuration (the same shape as the YAML sections).
final class AlertFixture: @unchecked Sendable {
    let directory: String
    var store: Store
    let clock = ManualWallClock(alertT0)
    let client = FetchClient()
    let settings: AlertSettings

    /// `configure` changes what JSON cannot say (a receiver's template text, which the app reads from a file).
    init(config json: String, configure: (inout AlertingConfig) -> Void = { _ in }) async throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("outcry-alert-\(UUID().uuidString)").path
        // The configuration first: a test of a bad one must not leave an open store behind.
        var config = try JSONDecoder().decode(AlertingConfig.self, from: Data(json.utf8))
        configure(&config)
        settings = try AlertSettings(config: config, dashboardURL: "https://outcry.example.org", ackKey: Array(repeating: 7, count: 32),
                                     jitter: { 0.5 })
        store = try await Store.open(directory: directory)
        try await store.syncSources([SourceConfig(name: "social", url: "https://example.org/feed", kind: .json, interval: 600)], now: alertT0)
    }

    var dispatcher: AlertDispatcher { AlertDispatcher(store: store, settings: settings, notifier: Notifier(client: client), clock: clock) }
    var clocks: AlertClockService { AlertClockService(store: store, settings: settings, clock: clock) }
    var actions: AlertThreadActions { AlertThreadActions(store: store, settings: settings, clock: clock) }
    var router: AlertRouter { AlertRouter(settings: settings) }

    /// Opens one thread per key (alerts queued), at the clock's current time; returns the thread ids.
    @discardableResult
    func open(_ keys: [String], severity: Severity = .p1, urgency: [UrgencyCategory] = [.legal]) async throws -> [ThreadID] {
        let mentions = keys.map { key in
            ScoredMention(
                mention: Mention(sourceName: "social", channel: .social, key: key, title: "Complaint \(key)",
                                 text: "My order \(key) never arrived, write to ann@example.com or call +44 20 7946 0958",
                                 publishedAt: clock.now(), fetchedAt: clock.now()),
                score: Score(sentiment: Sentiment(compound: -0.8, label: .negative), complaint: ComplaintIntent(isComplaint: true, score: 0.9),
                             urgency: urgency, severity: severity, reasons: [Reason(rule: "lexicon", evidence: "never arrived", weight: -0.6)])
            )
        }
        let result = try await store.commitPoll(source: "social", mentions: mentions,
                                                success: PollSuccess(etag: nil, lastModified: nil, nextPollAt: clock.now() + 600),
                                                alertOnBacklog: true, routing: router, now: clock.now())
        return result.threadsOpened
    }

    /// Runs delivery passes until nothing more is due now.
    func drain() async throws {
        for _ in 0..<5 { if try await dispatcher.deliverDue() == 0 { break } }
    }

    func reopenStore() async throws {
        try await store.close()
        store = try await Store.open(directory: directory)
    }

    func close() async {
        await client.shutdown()
        try? await store.close()
        try? FileManager.default.removeItem(atPath: directory)
    }

    func rows(receiver: String? = nil) async throws -> [OutboxMessage] {
        try await store.outbox(limit: 1000).reversed().filter { receiver == nil || $0.receiver == receiver }
    }
}

/// A switch a test flips while a server handler reads it.
final class Switch: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Int
    init(_ value: Int = 0) { self.value = value }
    var current: Int { lock.withLock { value } }
    func set(_ v: Int) { lock.withLock { value = v } }
}

func webhookConfig(url: String, extra: String = "", routeExtra: String = "", receiversExtra: String = "") -> String {
    """
    {
      "routes": {"receiver": "hook", "group_by": ["..."], "group_wait": "0s"\(routeExtra)},
      "receivers": {"hook": {"type": "webhook", "url": "\(url)", "secret": "s3cret"}\(receiversExtra)},
      "retry": {"max_attempts": 4, "base_delay": "10s", "jitter": 0}\(extra)
    }
    """
}
