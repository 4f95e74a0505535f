import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Logging
import OutcryAlerting
import OutcryApp
import OutcryFetch
import OutcryModel
import OutcryPipeline
import OutcryStore
import ServiceLifecycle
import Testing
@testable import OutcryWeb

private let t0 = Date(timeIntervalSince1970: 1_795_000_000)
private let token = "test-token-0123456789abcdef"
private let ackKey = Array(repeating: UInt8(9), count: 32)

/// A store with two open threads, alerting settings (for the acknowledge key) and the web
/// server running on a free port of 127.0.0.1, reached over HTTP with the project's libcurl client.
private struct WebRig {
    let store: Store
    let client: FetchClient
    let base: String
    let threads: [ThreadID]
    let clock: ManualWallClock

    func get(_ path: String, auth: String? = token, cookie: String? = nil) async throws -> FetchResponse {
        var headers = FetchHeaders()
        if let auth { headers.add("Authorization", "Bearer \(auth)") }
        if let cookie { headers.add("Cookie", cookie) }
        return try await client.get(base + path, headers: headers)
    }

    func post(_ path: String, _ json: String = "", auth: String? = token) async throws -> FetchResponse {
        var headers: FetchHeaders = ["Content-Type": "application/json"]
        if let auth { headers.add("Authorization", "Bearer \(auth)") }
        return try await client.post(base + path, headers: headers, body: Array(json.utf8))
    }

    /// Presses an acknowledge link's button, as `name`.
    func ack(_ link: String, name: String) async throws -> FetchResponse {
        let body = "name=" + (name.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")
        return try await client.post(base + "/ack/" + link, headers: ["Content-Type": "application/x-www-form-urlencoded"], body: Array(body.utf8))
    }

    func object(_ response: FetchResponse) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])
    }

    static func with(apiToken: String? = token, idleTimeout: Duration = .seconds(15), _ body: (WebRig) async throws -> Void) async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("outcry-web-\(UUID().uuidString)").path
        let alerting = try AlertSettings(
            config: try JSONDecoder().decode(AlertingConfig.self, from: Data(#"{"routes": {"receiver": "hook"}, "receivers": {"hook": {"type": "webhook", "url": "http://127.0.0.1:9/none"}}}"#.utf8)),
            dashboardURL: "http://127.0.0.1", ackKey: ackKey)
        let store = try await Store.open(directory: dir)
        let client = FetchClient()
        let clock = ManualWallClock(t0)
        do {
            try await store.syncSources([SourceConfig(name: "social", url: "https://example.org/feed", kind: .json, interval: 600)], now: t0)
            let mentions = ["a", "b"].map { key in
                ScoredMention(
                    mention: Mention(sourceName: "social", channel: .social, key: key, title: "Refund <never> came \(key)",
                                     text: "My refund never came", publishedAt: t0, fetchedAt: t0),
                    score: Score(sentiment: Sentiment(compound: -0.7, label: .negative), complaint: ComplaintIntent(isComplaint: true, score: 0.8),
                                 urgency: [], severity: .p2, reasons: [Reason(rule: "complaint.failure", evidence: "never came", weight: 0.5)]))
            }
            let result = try await store.commitPoll(source: "social", mentions: mentions,
                                                    success: PollSuccess(etag: nil, lastModified: nil, nextPollAt: t0 + 600), alertOnBacklog: true, now: t0)
            let web = WebServer(desk: Desk(store: store, alerting: alerting, clock: clock),
                                settings: WebSettings(host: "127.0.0.1", port: 0, apiToken: apiToken, idleTimeout: idleTimeout))
            let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
            let app = web.application { port in continuation.yield(port) }
            let group = ServiceGroup(configuration: .init(services: [app], logger: Logger(label: "test")))
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await group.run() }
                var iterator = ports.makeAsyncIterator()
                let port = try #require(await iterator.next())
                let rig = WebRig(store: store, client: client, base: "http://127.0.0.1:\(port)", threads: result.threadsOpened, clock: clock)
                do { try await body(rig) } catch {
                    await group.triggerGracefulShutdown()
                    throw error
                }
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
            }
        } catch {
            await client.shutdown()
            try? await store.close()
            throw error
        }
        await client.shutdown()
        try await store.close()
        try? FileManager.default.removeItem(atPath: dir)
    }
}

@Suite(.serialized) struct WebServerTests {
    @Test func theAPIWantsItsBearerTokenAndIsClosedWithoutOne() async throws {
        try await WebRig.with { rig in
            #expect(try await rig.get("/healthz", auth: nil).text == "ok")
            let none = try await rig.get("/api/threads", auth: nil)
            #expect(none.status == 401 && none.headers["www-authenticate"] == "Bearer")
            #expect(try await rig.get("/api/threads", auth: token + "x").status == 401)
            let ok = try await rig.get("/api/threads")
            #expect(ok.status == 200)
            let threads = try #require(try rig.object(ok)["threads"] as? [[String: Any]])
            #expect(threads.count == 2 && threads.first?["severity"] as? String == "P2" && threads.first?["status"] as? String == "new")
        }
        try await WebRig.with(apiToken: nil) { rig in
            let closed = try await rig.get("/api/threads")
            #expect(closed.status == 403 && closed.text.contains("web.api_token"))
        }
    }

    @Test func actionsAreTheCheckedLifecycleWithClearErrors() async throws {
        try await WebRig.with { rig in
            let id = rig.threads[0]
            let ack = try await rig.post("/api/threads/\(id)/ack", #"{"by": "ana", "note": "on it"}"#)
            #expect(ack.status == 200)
            #expect(try rig.object(ack)["to"] as? String == "acknowledged")
            #expect(try await rig.store.thread(id: id).status == .acknowledged)
            let again = try await rig.post("/api/threads/\(id)/ack", #"{"by": "ana"}"#)
            #expect(again.status == 409)
            #expect((try rig.object(again)["error"] as? String)?.contains("thread \(id)") == true)
            let assigned = try await rig.post("/api/threads/\(id)/assign", #"{"by": "lead", "team": "billing"}"#)
            #expect(try rig.object(assigned)["assignee"] as? String == "team:billing")
            #expect(try await rig.post("/api/threads/\(id)/assign", #"{"by": "lead"}"#).status == 400)
            #expect(try await rig.post("/api/threads/\(id)/ack", "").status == 400)  // who acts?
            #expect(try await rig.post("/api/threads/\(id)/ack", "{not json").status == 400)
            #expect(try await rig.post("/api/threads/\(id)/escalate", #"{"by": "ana"}"#).status == 404)
            #expect(try await rig.post("/api/threads/999999/ack", #"{"by": "ana"}"#).status == 404)
            let detail = try rig.object(try await rig.get("/api/threads/\(id)"))
            let events = try #require(detail["events"] as? [[String: Any]])
            #expect(events.map { $0["kind"] as? String } == ["acknowledged", "assigned"])
            #expect(events.first?["actor"] as? String == "api:ana" && events.first?["note"] as? String == "on it")
            #expect((detail["reasons"] as? [[String: Any]])?.first?["rule"] as? String == "complaint.failure")
        }
    }

    @Test func anAcknowledgeLinkShowsAButtonAndAcknowledgesOnlyWhenPressed() async throws {
        try await WebRig.with { rig in
            let id = rig.threads[1]
            let signer = AckTokenSigner(key: ackKey)
            let link = signer.token(threadID: String(id), expiresAt: t0 + 3600)
            let page = try await rig.get("/ack/\(link)", auth: nil)
            #expect(page.status == 200)
            #expect(page.text.contains("<form method=\"post\">") && page.text.contains("Refund &lt;never&gt; came b"))
            #expect(page.text.contains("name=\"name\" required"), "the page asks who acknowledges")
            #expect(try await rig.store.thread(id: id).status == .new)  // looking is not acknowledging
            // Without a name nothing happens: the history must say who.
            let anonymous = try await rig.ack(link, name: "  ")
            #expect(anonymous.status == 400 && anonymous.text.contains("Say who is acknowledging"))
            #expect(try await rig.store.thread(id: id).status == .new)
            let pressed = try await rig.ack(link, name: " Ana  <b>Lee</b> ")
            #expect(pressed.status == 200 && pressed.text.contains("Acknowledged by link:Ana &lt;b&gt;Lee&lt;/b&gt; at"), "\(pressed.text)")
            #expect(try await rig.store.thread(id: id).status == .acknowledged)
            #expect(try await rig.store.threadEvents(id).last?.actor == "link:Ana <b>Lee</b>")
            // The name is remembered for the next link, in a cookie only this path reads.
            let cookie = try #require(pressed.headers["Set-Cookie"])
            #expect(cookie.hasPrefix("outcry_ack_name=Ana%20%3Cb%3ELee%3C%2Fb%3E;") && cookie.contains("HttpOnly") && cookie.contains("Path=/ack"))
            let next = signer.token(threadID: String(rig.threads[0]), expiresAt: t0 + 3600)
            let remembered = try await rig.get("/ack/\(next)", auth: nil, cookie: String(cookie.prefix { $0 != ";" }))
            #expect(remembered.text.contains("value=\"Ana &lt;b&gt;Lee&lt;/b&gt;\""), "\(remembered.text)")
            // A second press changes nothing and says so.
            #expect(try await rig.ack(link, name: "Bo").text.contains("Nothing to do"))
            // Expired, forged or damaged links are refused with the reason.
            rig.clock.advance(by: 7200)
            let expired = try await rig.get("/ack/\(link)", auth: nil)
            #expect(expired.status == 410 && expired.text.contains("expired"))
            let forged = AckTokenSigner(key: Array(repeating: 1, count: 32)).token(threadID: String(id), expiresAt: t0 + 86400)
            #expect(try await rig.post("/ack/\(forged)", auth: nil).status == 400)
            #expect(try await rig.get("/ack/garbage", auth: nil).status == 400)
        }
    }

    // Issue 13, item 20: a link acknowledges only the episode it was sent for.
    @Test func anAcknowledgeLinkFromBeforeAReopeningIsRefused() async throws {
        try await WebRig.with { rig in
            let id = rig.threads[0]
            let signer = AckTokenSigner(key: ackKey)
            let first = signer.token(threadID: String(id), firedAt: t0, expiresAt: t0 + 86400)
            #expect(try await rig.ack(first, name: "Ana").status == 200)
            rig.clock.advance(by: 600)
            #expect(try await rig.post("/api/threads/\(id)/resolve", #"{"by": "ana"}"#).status == 200)
            rig.clock.advance(by: 600)
            #expect(try await rig.post("/api/threads/\(id)/reopen", #"{"by": "ana"}"#).status == 200)
            #expect(try await rig.store.thread(id: id).status == .new)
            // The old link (and an old v1 link) cannot acknowledge the new episode.
            let page = try await rig.get("/ack/\(first)", auth: nil)
            #expect(page.status == 410 && page.text.contains("earlier episode"))
            #expect(try await rig.post("/ack/\(first)", auth: nil).status == 410)
            let oldV1 = signer.token(threadID: String(id), expiresAt: t0 + 86400)
            #expect(try await rig.post("/ack/\(oldV1)", auth: nil).status == 410)
            #expect(try await rig.store.thread(id: id).status == .new)
            // The new episode's link works.
            let second = signer.token(threadID: String(id), firedAt: t0 + 1200, expiresAt: t0 + 86400)
            #expect(try await rig.ack(second, name: "Ana").status == 200)
            #expect(try await rig.store.thread(id: id).status == .acknowledged)
        }
    }
}

/// Sends `bytes` on a fresh TCP connection to 127.0.0.1:`port` and waits up to `wait` seconds
/// for the server to close it; returns whether it did.
private func serverCloses(port: Int, after bytes: String, within wait: Double) -> Bool {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { return false }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let connected = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    guard connected == 0 else { return false }
    _ = bytes.withCString { send(fd, $0, strlen($0), 0) }
    var timeout = timeval(tv_sec: Int(wait), tv_usec: 0)
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    var buffer = [UInt8](repeating: 0, count: 1024)
    while true {
        let n = recv(fd, &buffer, buffer.count, 0)
        if n == 0 { return true }          // orderly close
        if n < 0 { return errno == ECONNRESET }  // timed out (EAGAIN) means still open
    }
}

@Suite(.serialized) struct WebHardeningTests {
    @Test func everyResponseCarriesTheSecurityHeadersAndAPIAnswersAreNotStored() async throws {
        try await WebRig.with { rig in
            let health = try await rig.get("/healthz", auth: nil)
            let csp = try #require(health.headers["content-security-policy"])
            #expect(csp.contains("default-src 'none'") && csp.contains("frame-ancestors 'none'"))
            // Scripts from this site only (the dashboard's one file): nothing inline, nothing evaluated.
            let scriptSrc = csp.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }.filter { $0.hasPrefix("script-src") }
            #expect(scriptSrc == ["script-src 'self'"], "\(csp)")
            #expect(health.headers["x-frame-options"] == "DENY")
            #expect(health.headers["x-content-type-options"] == "nosniff")
            let threads = try await rig.get("/api/threads")
            #expect(threads.status == 200)
            #expect(threads.headers["cache-control"] == "no-store")
            #expect(threads.headers["x-content-type-options"] == "nosniff")
            let refused = try await rig.get("/api/threads", auth: "wrong")
            #expect(refused.status == 401 && refused.headers["cache-control"] == "no-store")
        }
    }

    @Test func theBearerSchemeIsCaseInsensitive() async throws {
        try await WebRig.with { rig in
            for scheme in ["bearer", "BEARER", "Bearer"] {
                var headers = FetchHeaders()
                headers.add("Authorization", "\(scheme) \(token)")
                let status = try await rig.client.get(rig.base + "/api/threads", headers: headers).status
                #expect(status == 200, "\(scheme)")
            }
            var basic = FetchHeaders()
            basic.add("Authorization", "Basic \(token)")
            let basicStatus = try await rig.client.get(rig.base + "/api/threads", headers: basic).status
            #expect(basicStatus == 401)
        }
    }

    @Test func aBadBodyIsRefusedWithoutTheDecodersInternals() async throws {
        try await WebRig.with { rig in
            let response = try await rig.post("/api/threads/\(rig.threads[0])/ack", #"{"by": 42, "note": ["x"]}"#)
            #expect(response.status == 400)
            let text = String(decoding: response.body, as: UTF8.self)
            for word in ["DecodingError", "codingPath", "typeMismatch", "Expected to decode", "CodingKeys"] {
                #expect(!text.contains(word), "\(text)")
            }
        }
    }

    @Test func aHalfSentRequestIsClosedAfterTheIdleTimeout() async throws {
        try await WebRig.with(idleTimeout: .seconds(1)) { rig in
            let port = try #require(Int(rig.base.split(separator: ":").last ?? ""))
            // The blocking socket waits on a thread of its own: held on one of the concurrency
            // pool's two threads (CI has two cores) it starved the server it was waiting for.
            // 20 s: far past the 1 s idle timeout, so only a server that never closes fails.
            let closed = await withCheckedContinuation { (done: CheckedContinuation<Bool, Never>) in
                Thread.detachNewThread {
                    done.resume(returning: serverCloses(port: port, after: "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ", within: 20))
                }
            }
            #expect(closed, "the server kept a half-sent request open")
        }
    }
}
