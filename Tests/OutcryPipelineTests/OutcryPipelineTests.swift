import Foundation
import OutcryFetch
import OutcryModel
import OutcryScoring
import OutcryStore
import OutcryTestSupport
import Testing
@testable import OutcryPipeline

/// A JSON source (kind json with a small mapping), so these tests exercise polling alone.
func jsonSource(_ name: String, _ url: String, interval: TimeInterval = 600) -> SourceConfig {
    SourceConfig(name: name, url: url, kind: .json, interval: interval, options: ["items": "/items", "id": "/id", "text": "/text"])
}

func posts(_ items: [(String, String)]) -> String {
    let body = items.map { #"{"id": "\#($0.0)", "text": "\#($0.1)"}"# }.joined(separator: ",")
    return #"{"items": [\#(body)]}"#
}

/// A poller over a fresh store, a real fetch client and a manual clock.
struct Rig {
    let server: TestHTTPServer
    let store: Store
    let client: FetchClient
    let clock: ManualWallClock
    let poller: Poller
    let dir: String

    static func make(settings: PollerSettings = PollerSettings()) async throws -> Rig {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("outcry-poll-\(UUID().uuidString)").path
        let server = try await TestHTTPServer.start()
        let store = try await Store.open(directory: dir)
        let client = FetchClient()
        let clock = ManualWallClock(Date(timeIntervalSince1970: 1_795_000_000))
        let poller = Poller(store: store, client: client, scorer: Scorer(), settings: settings, clock: clock, random: { 0.5 })
        return Rig(server: server, store: store, client: client, clock: clock, poller: poller, dir: dir)
    }

    /// Runs `body` with a fresh rig and always tears it down (an unclosed store traps in debug builds).
    static func with(settings: PollerSettings = PollerSettings(), _ body: (Rig) async throws -> Void) async throws {
        let rig = try await make(settings: settings)
        do {
            try await body(rig)
        } catch {
            try? await rig.close()
            throw error
        }
        try await rig.close()
    }

    func close() async throws {
        await client.shutdown()
        try await store.close()
        try await server.stop()
        try? FileManager.default.removeItem(atPath: dir)
    }

    func sync(_ sources: SourceConfig...) async throws { try await store.syncSources(sources, now: clock.now()) }
}

@Suite(.serialized) struct PollerTests {
    @Test func a410DisablesTheSourceAndSaysSo() async throws {
        try await Rig.with { rig in
        let source = jsonSource("gone", rig.server.url("/gone"))
        rig.server.route("/gone", .status(410))
        try await rig.sync(source)
        let result = await rig.poller.poll(source)
        #expect(result.isFailure && result.summary.contains("410"))
        let state = try await rig.store.pollState("gone")
        #expect(state.disabled && state.lastError?.contains("disabled") == true)
        // Later passes leave it alone.
        rig.clock.advance(by: 86400)
        #expect(try await rig.poller.pollDue([source]).isEmpty)
        #expect(rig.server.requests(path: "/gone").count == 1)
        }
    }

    @Test func retryAfterPausesTheSource() async throws {
        try await Rig.with { rig in
        let source = jsonSource("busy", rig.server.url("/busy"), interval: 60)
        rig.server.route("/busy", .status(429, headers: [("Retry-After", "1800")]))
        try await rig.sync(source)
        let result = await rig.poller.poll(source)
        guard case .failed(let why, let retryAt) = result.outcome else { Issue.record("\(result.summary)"); return }
        #expect(why.contains("429") && why.contains("1800"))
        #expect(retryAt == rig.clock.now() + 1800)
        rig.clock.advance(by: 600)
        #expect(try await rig.poller.pollDue([source]).isEmpty)
        rig.clock.advance(by: 1200)
        #expect(try await rig.poller.pollDue([source]).count == 1)
        }
    }

    @Test func aPermanentRedirectMovesTheStoredURL() async throws {
        try await Rig.with { rig in
        let source = jsonSource("moved", rig.server.url("/old"))
        rig.server.route("/old", .redirect(301, to: "/new"))
        rig.server.route("/new", .resource(text: posts([("1", "hello")]), etag: "\"n1\"", contentType: "application/json"))
        try await rig.sync(source)
        _ = await rig.poller.poll(source)
        #expect(try await rig.store.pollState("moved").url == rig.server.url("/new"))
        _ = await rig.poller.poll(source)
        #expect(rig.server.requests(path: "/old").count == 1)
        #expect(rig.server.requests(path: "/new").last?.header("If-None-Match") == "\"n1\"")
        }
    }

    @Test func errorsBackOffExponentiallyUpToTheCapAndRecoverByThemselves() async throws {
        var settings = PollerSettings()
        settings.backoffCap = 3600
        settings.downAfter = 1800
        try await Rig.with(settings: settings) { rig in
        let source = jsonSource("flaky", rig.server.url("/flaky"), interval: 300)
        rig.server.route("/flaky", .status(500))
        try await rig.sync(source)
        var delays: [TimeInterval] = []
        for _ in 0..<6 {
            let result = await rig.poller.poll(source)
            guard case .failed(_, let retryAt) = result.outcome else { Issue.record("\(result.summary)"); break }
            delays.append(retryAt.timeIntervalSince(rig.clock.now()))
            rig.clock.set(retryAt)
        }
        #expect(delays == [300, 600, 1200, 2400, 3600, 3600])
        #expect(try await rig.store.sourceEvents().map(\.kind) == ["source.down"])
        rig.server.route("/flaky", .resource(text: posts([("1", "back")]), contentType: "application/json"))
        let back = await rig.poller.poll(source)
        guard case .stored(let r, _) = back.outcome else { Issue.record("\(back.summary)"); return }
        #expect(r.recovered && r.inserted == 1)
        #expect(try await rig.store.sourceEvents().map(\.kind) == ["source.recovered", "source.down"])
        #expect(try await rig.store.pollState("flaky").consecutiveErrors == 0)
        }
    }

    @Test func serverCachingLengthensButNeverShortensTheInterval() async throws {
        try await Rig.with { rig in
        let long = jsonSource("long", rig.server.url("/long"), interval: 600)
        let short = jsonSource("short", rig.server.url("/short"), interval: 600)
        rig.server.route("/long", .resource(Array(posts([("1", "a")]).utf8), contentType: "application/json", headers: [("Cache-Control", "max-age=7200")]))
        rig.server.route("/short", .resource(Array(posts([("1", "a")]).utf8), contentType: "application/json", headers: [("Cache-Control", "max-age=10")]))
        try await rig.sync(long, short)
        _ = await rig.poller.pollAll([long, short])
        #expect(try await rig.store.pollState("long").nextPollAt == rig.clock.now() + 7200)
        #expect(try await rig.store.pollState("short").nextPollAt == rig.clock.now() + 600)
        }
    }

    @Test func oneBadSourceDoesNotDisturbTheOthers() async throws {
        var settings = PollerSettings()
        settings.timeout = 1
        try await Rig.with(settings: settings) { rig in
        rig.server.route("/ok", .resource(text: posts([("1", "fine"), ("2", "also fine")]), contentType: "application/json"))
        rig.server.route("/html", .ok("<html><body>Login</body></html>", contentType: "text/html"))
        rig.server.route("/empty", .status(200))
        rig.server.route("/slow", .drip(every: .milliseconds(300)))
        rig.server.route("/huge", .stream(bytes: 50 * 1024 * 1024))
        rig.server.route("/loop", .redirect(302, to: "/loop"))
        let sources = [
            jsonSource("ok", rig.server.url("/ok")), jsonSource("html", rig.server.url("/html")),
            jsonSource("empty", rig.server.url("/empty")), jsonSource("slow", rig.server.url("/slow")),
            jsonSource("huge", rig.server.url("/huge")), jsonSource("loop", rig.server.url("/loop")),
            jsonSource("refused", "http://127.0.0.1:1/feed"),
        ]
        try await rig.store.syncSources(sources, now: rig.clock.now())
        var settingsSmallCap = settings
        settingsSmallCap.maxBodyBytes = 1024 * 1024
        let poller = Poller(store: rig.store, client: rig.client, scorer: Scorer(), settings: settingsSmallCap, clock: rig.clock)
        let results = await poller.pollAll(sources)
        #expect(results.map(\.source) == sources.map(\.name))
        #expect(results.filter { !$0.isFailure }.map(\.source) == ["ok"])
        #expect(try await rig.store.mentionCount(source: "ok") == 2)
        for state in try await rig.store.pollStates() where state.sourceName != "ok" {
            #expect(state.consecutiveErrors == 1, "\(state.sourceName)")
            #expect(state.lastError?.isEmpty == false, "\(state.sourceName)")
        }
        let errors = Dictionary(uniqueKeysWithValues: try await rig.store.pollStates().map { ($0.sourceName, $0.lastError ?? "") })
        #expect(errors["html"]?.contains("not JSON") == true)
        #expect(errors["empty"]?.contains("empty") == true)
        #expect(errors["slow"]?.contains("timed out") == true)
        #expect(errors["huge"]?.contains("larger than") == true)
        #expect(errors["loop"]?.contains("redirects") == true, "\(errors["loop"] ?? "")")
        #expect(errors["refused"]?.contains("connect") == true)
        }
    }

    @Test(arguments: [
        (600.0, 1, 600.0), (600.0, 2, 1200.0), (600.0, 6, 19200.0), (600.0, 8, 21600.0), (10.0, 1, 30.0), (86400.0, 1, 21600.0),
    ])
    func backoffTable(interval: Double, errors: Int, expected: Double) {
        #expect(PollSchedule.backoff(interval: interval, consecutiveErrors: errors, cap: 21600, jitter: 0.5) == expected)
    }

    @Test func jitterStaysWithinTwentyPercentAndUnderTheCap() {
        let low = PollSchedule.backoff(interval: 600, consecutiveErrors: 3, cap: 21600, jitter: 0)
        let high = PollSchedule.backoff(interval: 600, consecutiveErrors: 3, cap: 21600, jitter: 1)
        #expect(abs(low - 1920) < 1e-6 && abs(high - 2880) < 1e-6)
        #expect(PollSchedule.backoff(interval: 600, consecutiveErrors: 20, cap: 21600, jitter: 1) == 21600)
    }

    @Test func ttlAndCachingOnlyLengthen() {
        #expect(PollSchedule.afterSuccess(interval: 600, serverLifetime: nil, feedTTLMinutes: 60, maxInterval: 86400) == 3600)
        #expect(PollSchedule.afterSuccess(interval: 600, serverLifetime: 0, feedTTLMinutes: 1, maxInterval: 86400) == 600)
        #expect(PollSchedule.afterSuccess(interval: 600, serverLifetime: 1e9, feedTTLMinutes: nil, maxInterval: 86400) == 86400)
    }
}

@Suite(.serialized) struct HostFairnessTests {
    /// Twenty sources on one slow host and one on another: with two slots per host the other
    /// host's source is polled at once instead of waiting behind the slow ones.
    @Test func aSlowHostDoesNotStarveTheOthers() async throws {
        var settings = PollerSettings()
        settings.maxConcurrent = 4
        settings.maxPerHost = 2
        settings.timeout = 5
        try await Rig.with(settings: settings) { rig in
            let other = try await TestHTTPServer.start()
            do {
                rig.server.route("/slow", .drip(Array(posts([("1", "x")]).utf8), every: .milliseconds(400), count: 1))
                other.route("/fast", .resource(text: posts([("1", "quick")]), contentType: "application/json"))
                let slow = (0..<20).map { jsonSource("slow\($0)", rig.server.url("/slow?\($0)")) }
                let fast = jsonSource("fast", other.url("/fast"))
                try await rig.store.syncSources(slow + [fast], now: rig.clock.now())
                let poll = Task { await rig.poller.pollAll(slow + [fast]) }
                await other.waitForRequests(path: "/fast", count: 1)
                // When the fast source was fetched, at most the first two slow ones had been asked for.
                #expect(rig.server.requests.count <= 2)
                let results = await poll.value
                #expect(results.count == 21)
            } catch {
                try await other.stop()
                throw error
            }
            try await other.stop()
        }
    }

    @Test func hostKeys() {
        #expect(Poller.hostKey("https://Example.org/a") == "example.org")
        #expect(Poller.hostKey("http://127.0.0.1:8080/x") == "127.0.0.1:8080")
        #expect(Poller.hostKey("file:///srv/feeds/a.xml") == "file:///srv/feeds/a.xml")
    }
}
