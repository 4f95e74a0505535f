import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import OutcryAlerting
import OutcryApp
import OutcryModel
import OutcryPipeline
import OutcryStore
import Testing
@testable import OutcryWeb

private let t0 = Date(timeIntervalSince1970: 1_795_000_000)
private let apiToken = "dashboard-api-token-0123456789"
private let password = "correct horse battery"
/// Hostile text a mention may carry: none of it may run in the page.
private let scriptText = #"<script>document.title='pwned'</script> <img src=x onerror="document.title='pwned'"> "quoted" & 'single'"#
private let scriptTitle = #"<svg onload=alert(1)>Refund"#
private let scriptURL = "javascript:document.title='pwned'"

/// A store with two open P2 threads (one carries script payloads), three users (viewer vera,
/// responder rita, admin adam), and the web server under HummingbirdTesting on a real socket.
private struct DashRig {
    let store: Store
    let client: any TestClientProtocol
    let threads: [ThreadID]
    let clock: ManualWallClock

    /// `sla`: an SLA policy for every thread (acknowledge within 10 minutes).
    static func with(sla: Bool = false, trustedProxies: [String] = [], _ body: @escaping @Sendable (DashRig) async throws -> Void) async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("outcry-dash-\(UUID().uuidString)").path
        let policy = sla ? #", "sla": [{"name": "all", "targets": {"acknowledge": "10m"}, "business_hours": false}]"# : ""
        let alerting = try AlertSettings(
            config: try JSONDecoder().decode(AlertingConfig.self, from: Data((#"{"routes": {"receiver": "hook"}, "receivers": {"hook": {"type": "webhook", "url": "http://127.0.0.1:9/none"}}"# + policy + "}").utf8)),
            dashboardURL: "http://127.0.0.1", ackKey: Array(repeating: UInt8(7), count: 32))
        let store = try await Store.open(directory: dir)
        do {
            try await store.syncSources([SourceConfig(name: "social", url: "https://example.org/feed", kind: .json, interval: 600)], now: t0)
            let texts: [(key: String, title: String, text: String, url: String)] = [
                ("calm", "Refund never came", "My refund never came", "https://example.org/post/1"),
                ("evil", scriptTitle, scriptText, scriptURL),
            ]
            let mentions = texts.map { m in
                ScoredMention(
                    mention: Mention(sourceName: "social", channel: .social, key: m.key, url: m.url, title: m.title, text: m.text,
                                     authorHandle: "@" + m.key, publishedAt: t0, fetchedAt: t0),
                    score: Score(sentiment: Sentiment(compound: -0.7, label: .negative), complaint: ComplaintIntent(isComplaint: true, score: 0.8),
                                 urgency: [], severity: .p2, reasons: [Reason(rule: "complaint.failure", evidence: "never <b>came</b>", weight: 0.5)]))
            }
            let result = try await store.commitPoll(source: "social", mentions: mentions,
                                                    success: PollSuccess(etag: nil, lastModified: nil, nextPollAt: t0 + 600), alertOnBacklog: true, now: t0)
            let hasher = BcryptHasher(cost: 4)
            let accounts = UserAccounts(store: store, hasher: hasher)
            try await accounts.add(name: "vera", role: .viewer, password: password, now: t0)
            try await accounts.add(name: "rita", role: .responder, password: password, now: t0)
            try await accounts.add(name: "adam", role: .admin, password: password, now: t0)
            let clock = ManualWallClock(t0)
            let web = WebServer(desk: Desk(store: store, alerting: alerting, clock: clock),
                                settings: WebSettings(host: "127.0.0.1", port: 0, apiToken: apiToken, trustedProxies: trustedProxies), hasher: hasher)
            try await web.application().test(.live) { client in
                try await body(DashRig(store: store, client: client, threads: result.threadsOpened, clock: clock))
            }
        } catch {
            try? await store.close()
            throw error
        }
        try await store.close()
        try? FileManager.default.removeItem(atPath: dir)
    }

    // MARK: requests

    func get(_ path: String, session: Session? = nil, headers: HTTPFields = [:]) async throws -> TestResponse {
        var headers = headers
        if let session { headers[.cookie] = "\(DashboardRoutes.sessionCookie)=\(session.cookie)" }
        return try await client.execute(uri: path, method: .get, headers: headers)
    }

    func post(_ path: String, form: [(String, String)], session: Session? = nil, cookie: String? = nil,
              headers: HTTPFields = [:]) async throws -> TestResponse {
        var headers = headers
        headers[.contentType] = "application/x-www-form-urlencoded"
        if let session { headers[.cookie] = "\(DashboardRoutes.sessionCookie)=\(session.cookie)" }
        if let cookie { headers[.cookie] = cookie }
        let body = form.map { "\(Self.encode($0.0))=\(Self.encode($0.1))" }.joined(separator: "&")
        return try await client.execute(uri: path, method: .post, headers: headers, body: ByteBuffer(string: body))
    }

    func api(_ method: HTTPRequest.Method, _ path: String, token: String, json: String? = nil) async throws -> TestResponse {
        var headers: HTTPFields = [.authorization: "Bearer \(token)"]
        if json != nil { headers[.contentType] = "application/json" }
        return try await client.execute(uri: path, method: method, headers: headers, body: json.map { ByteBuffer(string: $0) })
    }

    static func encode(_ s: String) -> String {
        s.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
    }

    struct Session {
        var cookie: String
        var csrf: String
        var setCookie: String
    }

    /// Logs in through the form (its CSRF cookie and field), then reads the session's CSRF
    /// token from the queue page.
    func login(_ name: String, password: String = password, headers: HTTPFields = [:]) async throws -> Session {
        let (status, location, setCookie) = try await loginAttempt(name, password: password, headers: headers)
        #expect(status == .seeOther && location == "/")
        let cookie = try #require(Self.cookieValue(setCookie, DashboardRoutes.sessionCookie))
        let queue = try await get("/", session: Session(cookie: cookie, csrf: "", setCookie: setCookie))
        #expect(queue.status == .ok)
        let csrf = try #require(Self.hidden("csrf", in: String(buffer: queue.body)))
        return Session(cookie: cookie, csrf: csrf, setCookie: setCookie)
    }

    func loginAttempt(_ name: String, password: String, next: String = "/", headers: HTTPFields = [:]) async throws
        -> (HTTPResponse.Status, String?, String) {
        let page = try await get("/login?next=" + Self.encode(next))
        let loginCookie = try #require(page.headers[values: .setCookie].compactMap { Self.cookieValue($0, DashboardRoutes.loginCSRFCookie) }.first)
        let token = try #require(Self.hidden("csrf", in: String(buffer: page.body)))
        #expect(token == loginCookie)
        let response = try await post("/login", form: [("csrf", token), ("name", name), ("password", password), ("next", next)],
                                      cookie: "\(DashboardRoutes.loginCSRFCookie)=\(loginCookie)", headers: headers)
        let setCookie = response.headers[values: .setCookie].first { $0.hasPrefix(DashboardRoutes.sessionCookie + "=") } ?? ""
        return (response.status, response.headers[.location], setCookie)
    }

    static func cookieValue(_ header: String, _ name: String) -> String? {
        guard header.hasPrefix(name + "=") else { return nil }
        return header.dropFirst(name.count + 1).split(separator: ";", omittingEmptySubsequences: false).first.map(String.init)
    }

    static func hidden(_ name: String, in html: String) -> String? {
        guard let r = html.range(of: #"name="\#(name)" value=""#) else { return nil }
        return String(html[r.upperBound...].prefix { $0 != "\"" })
    }
}

@Suite(.serialized) struct DashboardTests {
    @Test func withoutASessionEveryPageRedirectsToTheLoginAndShowsNoData() async throws {
        try await DashRig.with { rig in
            let id = rig.threads[0]
            for path in ["/", "/threads/\(id)", "/sources", "/?brand=x"] {
                let r = try await rig.get(path)
                #expect(r.status == .seeOther, "\(path)")
                #expect(r.headers[.location]?.hasPrefix("/login?next=") == true, "\(path)")
                #expect(r.body.readableBytes == 0, "\(path)")
            }
            // A forged or expired cookie is no session either.
            let forged = try await rig.get("/", session: .init(cookie: String(repeating: "a", count: 64), csrf: "", setCookie: ""))
            #expect(forged.status == .seeOther)
            // Acting without a session changes nothing.
            let act = try await rig.post("/threads/\(id)/ack", form: [("csrf", "x")])
            #expect(act.status == .seeOther && act.headers[.location]?.hasPrefix("/login") == true)
            #expect(try await rig.store.thread(id: id).status == .new)
        }
    }

    @Test func theNotificationLinkOpensTheThreadAfterLogin() async throws {
        try await DashRig.with { rig in
            let id = rig.threads[0]
            let first = try await rig.get("/threads/\(id)")
            #expect(first.headers[.location] == "/login?next=/threads/\(id)")
            let (status, location, setCookie) = try await rig.loginAttempt("vera", password: password, next: "/threads/\(id)")
            #expect(status == .seeOther && location == "/threads/\(id)")
            let cookie = try #require(DashRig.cookieValue(setCookie, DashboardRoutes.sessionCookie))
            let page = try await rig.get(location ?? "", session: .init(cookie: cookie, csrf: "", setCookie: setCookie))
            #expect(page.status == .ok)
            let html = String(buffer: page.body)
            #expect(html.contains("Thread \(id): Refund never came"))
            #expect(html.contains("My refund never came") && html.contains("complaint.failure"))
            #expect(page.headers[.cacheControl] == "no-store")
            let csp = try #require(page.headers[.contentSecurityPolicy])
            #expect(csp.contains("script-src 'self';") && !csp.contains("unsafe-eval") && csp.contains("frame-ancestors 'none'"))
            // A next that points at another site is ignored.
            let (_, away, _) = try await rig.loginAttempt("vera", password: password, next: "//evil.example/x")
            #expect(away == "/")
        }
    }

    @Test func theSessionCookieIsHttpOnlyLaxAndSecureBehindTLS() async throws {
        try await DashRig.with { rig in
            let plain = try await rig.login("vera")
            #expect(plain.setCookie.contains("HttpOnly") && plain.setCookie.contains("SameSite=Lax") && plain.setCookie.contains("Path=/"))
            #expect(!plain.setCookie.contains("Secure"))
            let tls = try await rig.login("vera", headers: [.xForwardedProto: "https"])
            #expect(tls.setCookie.contains("Secure") && tls.setCookie.contains("HttpOnly"))
        }
    }

    /// Behind a trusted proxy the per-address limit counts the client that X-Forwarded-For
    /// names, so one guesser does not lock everyone out; from an untrusted peer the header is
    /// ignored, so a guesser cannot escape the limit by writing a new address each time.
    @Test(arguments: [true, false]) func loginsAreLimitedPerClientBehindATrustedProxyOnly(_ trusted: Bool) async throws {
        try await DashRig.with(trustedProxies: trusted ? ["127.0.0.1", "::1"] : []) { rig in
            // Twenty failures (the per-address limit), spread over invented accounts so that no
            // account's own limit is reached, each claiming a new address after the guesser's.
            for index in 0..<20 {
                let (status, _, _) = try await rig.loginAttempt("guess\(index)", password: "wrong",
                                                               headers: [.xForwardedFor: "10.9.9.\(index), 198.51.100.7"])
                #expect(status == .unauthorized)
            }
            let (guesser, _, _) = try await rig.loginAttempt("vera", password: password, headers: [.xForwardedFor: "198.51.100.7"])
            #expect(guesser == .tooManyRequests)
            let (colleague, _, _) = try await rig.loginAttempt("rita", password: password, headers: [.xForwardedFor: "203.0.113.9"])
            #expect(colleague == (trusted ? .seeOther : .tooManyRequests),
                    "behind a trusted proxy another client logs in; otherwise the header proves nothing")
        }
    }

    @Test func wrongPasswordsAreRefusedAndLoginsAreRateLimitedPerAccount() async throws {
        try await DashRig.with { rig in
            let (wrong, _, cookie) = try await rig.loginAttempt("rita", password: "not the password")
            #expect(wrong == .unauthorized && cookie.isEmpty)
            let (unknown, _, _) = try await rig.loginAttempt("nobody", password: password)
            #expect(unknown == .unauthorized)
            for _ in 0..<4 { _ = try await rig.loginAttempt("rita", password: "still wrong") }
            // Five failures: even the right password waits now.
            let (limited, _, none) = try await rig.loginAttempt("rita", password: password)
            #expect(limited == .tooManyRequests && none.isEmpty)
            // Another account from the same address is not locked by rita's failures (yet).
            let (other, _, _) = try await rig.loginAttempt("vera", password: password)
            #expect(other == .seeOther)
            // A login form without its CSRF cookie is refused.
            let bare = try await rig.post("/login", form: [("csrf", "abc"), ("name", "vera"), ("password", password)])
            #expect(bare.status == .forbidden)
        }
    }

    @Test func aViewerReadsButCannotAct() async throws {
        try await DashRig.with { rig in
            let id = rig.threads[0]
            let vera = try await rig.login("vera")
            let queue = String(buffer: try await rig.get("/", session: vera).body)
            #expect(queue.contains("Refund never came") && queue.contains(">P2<"))
            #expect(!queue.contains("/threads/\(id)/ack"), "a viewer sees no action forms")
            for (path, form) in [("/threads/\(id)/ack", [("csrf", vera.csrf)]), ("/threads/\(id)/assign", [("csrf", vera.csrf), ("to", "vera")]),
                                 ("/threads/\(id)/note", [("csrf", vera.csrf), ("note", "hi")])] {
                let r = try await rig.post(path, form: form, session: vera)
                #expect(r.status == .forbidden, "\(path)")
                #expect(String(buffer: r.body).contains("vera is a viewer"))
            }
            let mention = try #require(try await rig.store.mentions(ofThread: id).first?.mention.id)
            #expect(try await rig.post("/mentions/\(mention)/label", form: [("csrf", vera.csrf), ("complaint", "no")], session: vera).status == .forbidden)
            #expect(try await rig.store.thread(id: id).status == .new)
            #expect(try await rig.store.threadEvents(id).isEmpty)
            #expect(try await rig.store.labelCounts().total == 0)
            #expect(try await rig.get("/sources", session: vera).status == .ok)
        }
    }

    @Test func aResponderActsFromTheQueueAndTheThreadPage() async throws {
        try await DashRig.with { rig in
            let id = rig.threads[0]
            let rita = try await rig.login("rita")
            let queue = String(buffer: try await rig.get("/?channel=social", session: rita).body)
            #expect(queue.contains(#"action="/threads/\#(id)/ack""#))
            let ack = try await rig.post("/threads/\(id)/ack", form: [("csrf", rita.csrf), ("return", "/?channel=social")], session: rita)
            #expect(ack.status == .seeOther && ack.headers[.location] == "/?channel=social")
            #expect(try await rig.store.thread(id: id).status == .acknowledged)
            let again = try await rig.post("/threads/\(id)/ack", form: [("csrf", rita.csrf)], session: rita)
            #expect(again.status == .conflict)
            let assign = try await rig.post("/threads/\(id)/assign", form: [("csrf", rita.csrf), ("team", "billing")], session: rita)
            #expect(assign.status == .seeOther && assign.headers[.location] == "/threads/\(id)")
            #expect(try await rig.post("/threads/\(id)/note", form: [("csrf", rita.csrf), ("note", "called <them>")], session: rita).status == .seeOther)
            #expect(try await rig.post("/threads/\(id)/respond", form: [("csrf", rita.csrf), ("note", "replied")], session: rita).status == .seeOther)
            #expect(try await rig.post("/threads/\(id)/resolve", form: [("csrf", rita.csrf)], session: rita).status == .seeOther)
            #expect(try await rig.store.thread(id: id).status == .resolved)
            #expect(try await rig.post("/threads/\(id)/reopen", form: [("csrf", rita.csrf)], session: rita).status == .seeOther)
            let events = try await rig.store.threadEvents(id)
            #expect(events.map(\.kind) == ["acknowledged", "assigned", "note", "responded", "resolved", "reopened"])
            #expect(events.allSatisfy { $0.actor == "web:rita" })
            let page = String(buffer: try await rig.get("/threads/\(id)", session: rita).body)
            #expect(page.contains("team:billing") && page.contains("called &lt;them&gt;"))
            // A label for the scorer, then back to the mention on its thread page.
            let mention = try #require(try await rig.store.mentions(ofThread: id).first?.mention.id)
            let label = try await rig.post("/mentions/\(mention)/label", form: [("csrf", rita.csrf), ("complaint", "no")], session: rita)
            #expect(label.status == .seeOther && label.headers[.location] == "/threads/\(id)#m\(mention)")
            let stored = try await rig.store.labels()
            #expect(stored.count == 1 && stored.first?.complaint == false && stored.first?.by == "web:rita")
            let urgency = try await rig.post("/mentions/\(mention)/label", form: [("csrf", rita.csrf), ("urgency", "safety")], session: rita)
            #expect(urgency.status == .seeOther)
            #expect(try await rig.store.labels().last?.urgency == [.safety])
        }
    }

    @Test func aForgedOrMissingCSRFTokenIsRefused() async throws {
        try await DashRig.with { rig in
            let id = rig.threads[0]
            let rita = try await rig.login("rita")
            let adam = try await rig.login("adam")
            let cases: [[(String, String)]] = [[], [("csrf", "")], [("csrf", String(repeating: "0", count: 64))], [("csrf", adam.csrf)]]
            for form in cases {
                let r = try await rig.post("/threads/\(id)/ack", form: form, session: rita)
                #expect(r.status == .forbidden)
                #expect(String(buffer: r.body).contains("nothing was done"))
            }
            let mention = try #require(try await rig.store.mentions(ofThread: id).first?.mention.id)
            #expect(try await rig.post("/mentions/\(mention)/label", form: [("complaint", "no")], session: rita).status == .forbidden)
            #expect(try await rig.post("/logout", form: [("csrf", "wrong")], session: rita).status == .forbidden)
            #expect(try await rig.store.thread(id: id).status == .new)
            #expect(try await rig.store.labelCounts().total == 0)
            // With the right token the logout ends the session.
            let out = try await rig.post("/logout", form: [("csrf", rita.csrf)], session: rita)
            #expect(out.status == .seeOther && out.headers[.location] == "/login")
            #expect(try await rig.get("/", session: rita).status == .seeOther)
        }
    }

    @Test func theAPITakesTheConfiguredTokenAndPersonalTokensWithTheirRoles() async throws {
        try await DashRig.with { rig in
            let id = rig.threads[0]
            let accounts = UserAccounts(store: rig.store, hasher: BcryptHasher(cost: 4))
            let veraToken = try await accounts.issueToken(name: "vera", now: t0)
            let ritaToken = try await accounts.issueToken(name: "rita", now: t0)
            #expect(try await rig.api(.get, "/api/threads", token: apiToken).status == .ok)
            #expect(try await rig.api(.get, "/api/threads", token: veraToken).status == .ok)
            #expect(try await rig.api(.get, "/api/threads", token: "oc_" + String(repeating: "f", count: 64)).status == .unauthorized)
            let refused = try await rig.api(.post, "/api/threads/\(id)/ack", token: veraToken, json: #"{"by": "vera"}"#)
            #expect(refused.status == .forbidden && String(buffer: refused.body).contains("viewer"))
            #expect(try await rig.api(.post, "/api/mentions/1/label", token: veraToken, json: #"{"complaint": false}"#).status == .forbidden)
            // A person's token acts under the person's name, whatever the body says.
            let done = try await rig.api(.post, "/api/threads/\(id)/ack", token: ritaToken, json: #"{"by": "someone else"}"#)
            #expect(done.status == .ok)
            #expect(try await rig.store.threadEvents(id).last?.actor == "api:rita")
            // The configured token is an admin that says who acts.
            let admin = try await rig.api(.post, "/api/threads/\(rig.threads[1])/ack", token: apiToken, json: #"{"by": "ops"}"#)
            #expect(admin.status == .ok)
            #expect(try await rig.store.threadEvents(rig.threads[1]).last?.actor == "api:ops")
            // Tokens are stored as hashes only.
            #expect(try await rig.store.user(apiToken: veraToken)?.name == "vera")
        }
    }

    @Test func mentionTextWithScriptIsEscapedOnEveryPage() async throws {
        try await DashRig.with { rig in
            let evil = rig.threads[1]
            let vera = try await rig.login("vera")
            for path in ["/", "/threads/\(evil)"] {
                let html = String(buffer: try await rig.get(path, session: vera).body)
                // The one script element is the dashboard's own file.
                #expect(html.components(separatedBy: "<script").count == 2, "\(path)")
                #expect(html.contains(#"<script src="/static/dashboard.js" defer></script>"#), "\(path)")
                #expect(!html.contains("<svg"), "\(path)")
                #expect(!html.contains("<img"), "\(path)")
                #expect(!html.contains("<b>came"), "\(path)")
                #expect(!html.lowercased().contains("href=\"javascript:"), "\(path)")
                #expect(html.contains("&lt;svg onload=alert(1)&gt;Refund"), "\(path)")
            }
            let page = String(buffer: try await rig.get("/threads/\(evil)", session: vera).body)
            #expect(page.contains("&lt;script&gt;document.title=&#39;pwned&#39;&lt;/script&gt;"))
            #expect(page.contains("onerror=&quot;document.title=&#39;pwned&#39;&quot;"))
            #expect(page.contains("<code>javascript:document.title=&#39;pwned&#39;</code>"), "a javascript: URL is shown as text, not a link")
            #expect(page.contains("never &lt;b&gt;came&lt;/b&gt;"))
        }
    }

    @Test func slaClocksShowTimeLeftThenBreachedInTheQueueAndOnTheThread() async throws {
        try await DashRig.with(sla: true) { rig in
            let id = rig.threads[0]
            let vera = try await rig.login("vera")
            let queue = String(buffer: try await rig.get("/", session: vera).body)
            #expect(queue.contains(#"data-deadline="\#((t0 + 600).formatted(.iso8601))">10m</td>"#), "\(queue)")
            let thread = String(buffer: try await rig.get("/threads/\(id)", session: vera).body)
            #expect(thread.contains("Clocks (SLA policy all)") && thread.contains("<td>acknowledge</td>") && thread.contains("<td>in 10m</td>"))
            rig.clock.advance(by: 700)
            let late = String(buffer: try await rig.get("/", session: vera).body)
            #expect(late.contains(#"<td class="breached" title="acknowledge deadline passed at \#((t0 + 600).formatted(.iso8601))">BREACHED</td>"#), "\(late)")
            let lateThread = String(buffer: try await rig.get("/threads/\(id)", session: vera).body)
            #expect(lateThread.contains(#"<td class="breached">breached</td>"#))
        }
    }

    /// The queue page keeps a page's threads for a moment (``QueuePageCache``), but a new
    /// mention shows at once, and so does a deadline passing in that moment.
    @Test func theQueuePageShowsNewMentionsAndBreachesAtOnce() async throws {
        try await DashRig.with(sla: true) { rig in
            let vera = try await rig.login("vera")
            rig.clock.set(t0 + 599.5)
            let before = String(buffer: try await rig.get("/", session: vera).body)
            #expect(!before.contains("BREACHED") && before.contains("2 open threads"))
            // Half a second later (within the page's moment) the deadline has passed.
            rig.clock.set(t0 + 600.1)
            let after = String(buffer: try await rig.get("/", session: vera).body)
            #expect(after.contains(#"<td class="breached" title="acknowledge deadline passed at \#((t0 + 600).formatted(.iso8601))">BREACHED</td>"#))
            // A new mention in the same instant shows at once.
            let late = ScoredMention(
                mention: Mention(sourceName: "social", channel: .social, key: "late", url: "https://example.org/late", title: "Late parcel",
                                 text: "Where is my parcel", authorHandle: "@late", publishedAt: t0 + 600, fetchedAt: t0 + 600),
                score: Score(sentiment: Sentiment(compound: -0.5, label: .negative), complaint: ComplaintIntent(isComplaint: true, score: 0.7),
                             urgency: [], severity: .p3, reasons: []))
            let added = try await rig.store.commitPoll(source: "social", mentions: [late],
                                                       success: PollSuccess(etag: nil, lastModified: nil, nextPollAt: t0 + 1200), now: t0 + 600)
            let id = try #require(added.threadsOpened.first)
            let newer = String(buffer: try await rig.get("/", session: vera).body)
            #expect(newer.contains(#"data-thread="\#(id)""#) && newer.contains("3 open threads"))
        }
    }

    @Test func theOneScriptIsAStaticFileThatWritesNoHTML() async throws {
        try await DashRig.with { rig in
            let js = try await rig.get("/static/dashboard.js")
            #expect(js.status == .ok)
            #expect(js.headers[.contentType] == "text/javascript; charset=utf-8")
            #expect(js.headers[.cacheControl] == "no-cache")
            let text = String(buffer: js.body)
            #expect(text.contains("data-deadline") && text.contains("'j'") && text.contains("textContent"))
            #expect(!text.contains("innerHTML") && !text.contains("eval("))
            // The queue marks rows for it (ids only).
            let vera = try await rig.login("vera")
            let queue = String(buffer: try await rig.get("/", session: vera).body)
            #expect(queue.contains(#"data-thread="\#(rig.threads[0])""#))
        }
    }

    @Test func theQueueFiltersStayInTheURLAndTheSourcesPageShowsHealth() async throws {
        try await DashRig.with { rig in
            let vera = try await rig.login("vera")
            let p1 = String(buffer: try await rig.get("/?severity=P1", session: vera).body)
            #expect(p1.contains("No open threads match these filters"))
            #expect(p1.contains(#"<option value="P1" selected>"#))
            let mail = String(buffer: try await rig.get("/?channel=mail", session: vera).body)
            #expect(mail.contains("No open threads match"))
            let social = String(buffer: try await rig.get("/?channel=social&status=new", session: vera).body)
            #expect(social.contains("2 open threads matching the filters"))
            #expect(String(buffer: try await rig.get("/?assignee=nobody-here", session: vera).body).contains("No open threads match"))
            let sources = String(buffer: try await rig.get("/sources", session: vera).body)
            #expect(sources.contains("<td>social</td>") && sources.contains(">ok<"))
        }
    }

    /// Urgency and segment filter too; the queue pages with offset and limit (links keep the
    /// filters); an unknown filter value is a clear 400, not the whole queue.
    @Test func theQueueFiltersUrgencyAndSegmentAndPages() async throws {
        try await DashRig.with { rig in
            let vera = try await rig.login("vera")
            let legal = String(buffer: try await rig.get("/?urgency=legal", session: vera).body)
            #expect(legal.contains("No open threads match these filters") && legal.contains(#"<option value="legal" selected>"#))
            #expect(String(buffer: try await rig.get("/?segment=gold", session: vera).body).contains("No open threads match"))
            let first = String(buffer: try await rig.get("/?channel=social&limit=1", session: vera).body)
            #expect(first.contains("threads 1–1, more follow"))
            #expect(first.contains(#"href="/?channel=social&amp;limit=1&amp;offset=1" rel="next""#))
            #expect(first.contains(#"data-thread="\#(rig.threads[0])""#) && !first.contains(#"data-thread="\#(rig.threads[1])""#))
            let second = String(buffer: try await rig.get("/?channel=social&limit=1&offset=1", session: vera).body)
            #expect(second.contains("threads 2–2") && !second.contains("more follow") && second.contains(#"rel="prev""#))
            #expect(second.contains(#"data-thread="\#(rig.threads[1])""#) && !second.contains(#"data-thread="\#(rig.threads[0])""#))
            let beyond = String(buffer: try await rig.get("/?offset=50", session: vera).body)
            #expect(beyond.contains("No open threads") && beyond.contains(#"<a href="/" rel="prev">"#) && !beyond.contains("threads 51–"))
            for bad in ["/?urgency=bogus", "/?severity=P9", "/?status=resolved", "/?offset=-1", "/?limit=zero", "/?channel=fax"] {
                let page = try await rig.get(bad, session: vera)
                #expect(page.status == .badRequest, "\(bad)")
                #expect(String(buffer: page.body).contains("Not a filter"), "\(bad)")
            }
        }
    }

    /// The queue page shows 50 threads by default with a link to the next page; `limit` goes up
    /// to 200 (more is 200, which the page links keep), and the second page starts at 51.
    @Test func theQueuePageShowsFiftyThreadsAndLinksTheNextPage() async throws {
        try await DashRig.with { rig in
            // 60 more open threads (one author each) beside the rig's two: 62 in all.
            let more = (0..<60).map { i in
                ScoredMention(
                    mention: Mention(sourceName: "social", channel: .social, key: "more-\(i)", url: "https://example.org/more/\(i)",
                                     title: "Late parcel \(i)", text: "My parcel \(i) is late", authorHandle: "@more\(i)",
                                     publishedAt: t0 + Double(i + 1), fetchedAt: t0 + Double(i + 1)),
                    score: Score(sentiment: Sentiment(compound: -0.5, label: .negative), complaint: ComplaintIntent(isComplaint: true, score: 0.7),
                                 urgency: [], severity: .p3, reasons: []))
            }
            let added = try await rig.store.commitPoll(source: "social", mentions: more,
                                                       success: PollSuccess(etag: nil, lastModified: nil, nextPollAt: t0 + 1200), now: t0 + 100)
            #expect(added.threadsOpened.count == 60)
            func rows(_ page: String) -> Int { page.components(separatedBy: "data-thread=\"").count - 1 }
            let vera = try await rig.login("vera")
            let first = String(buffer: try await rig.get("/", session: vera).body)
            #expect(rows(first) == 50)
            #expect(first.contains("threads 1–50, more follow"))
            #expect(first.contains(#"href="/?offset=50" rel="next""#) && !first.contains(#"rel="prev""#))
            let second = String(buffer: try await rig.get("/?offset=50", session: vera).body)
            #expect(rows(second) == 12)
            #expect(second.contains("threads 51–62") && !second.contains("more follow") && second.contains(#"<a href="/" rel="prev">"#))
            // The rig's two P2 threads come first (most severe), the P3 ones after.
            #expect(first.contains(#"data-thread="\#(rig.threads[0])""#) && !second.contains(#"data-thread="\#(rig.threads[0])""#))
            let all = String(buffer: try await rig.get("/?limit=200", session: vera).body)
            #expect(rows(all) == 62 && !all.contains("more follow"))
            // More than 200 is 200: the link back from the second thread keeps the page size it got.
            let capped = String(buffer: try await rig.get("/?limit=5000&offset=1", session: vera).body)
            #expect(rows(capped) == 61)
            #expect(capped.contains(#"<a href="/?limit=200" rel="prev">"#))
            for bad in ["/?limit=0", "/?limit=-5"] {
                #expect(try await rig.get(bad, session: vera).status == .badRequest, "\(bad)")
            }
        }
    }

    /// `GET /api/threads` takes the same filters and paging, answered by the database.
    @Test func theAPIQueueFiltersAndPages() async throws {
        try await DashRig.with { rig in
            func ids(_ path: String) async throws -> [ThreadID] {
                let response = try await rig.api(.get, path, token: apiToken)
                #expect(response.status == .ok, "\(path)")
                let object = try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any]
                return (object?["threads"] as? [[String: Any]] ?? []).compactMap { ($0["id"] as? NSNumber).map { ThreadID($0.int64Value) } }
            }
            #expect(try await ids("/api/threads") == rig.threads)
            #expect(try await ids("/api/threads?limit=1") == [rig.threads[0]])
            #expect(try await ids("/api/threads?limit=1&offset=1") == [rig.threads[1]])
            #expect(try await ids("/api/threads?severity=P2&channel=SOCIAL&brand=") == rig.threads)
            #expect(try await ids("/api/threads?severity=P1").isEmpty)
            #expect(try await ids("/api/threads?urgency=press").isEmpty)
            #expect(try await ids("/api/threads?segment=gold").isEmpty)
            #expect(try await ids("/api/threads?assignee=nobody").isEmpty)
            let bad = try await rig.api(.get, "/api/threads?urgency=bogus", token: apiToken)
            #expect(bad.status == .badRequest && String(buffer: bad.body).contains("unknown urgency"))
        }
    }

    /// Crises: everyone signed in reads them; only an admin declares, confirms and ends, with the
    /// session's CSRF token; the brand is escaped; each step lands in the audit log, which only
    /// an admin reads.
    @Test func crisesAreAnAdminsAndTheAuditLogSaysWhoDidWhat() async throws {
        try await DashRig.with { rig in
            let vera = try await rig.login("vera"), rita = try await rig.login("rita"), adam = try await rig.login("adam")
            let read = String(buffer: try await rig.get("/crises", session: vera).body)
            #expect(read.contains("No crises.") && read.contains("needs an admin") && !read.contains("Declare a crisis"))
            let brand = #"Acme <script>document.title='pwned'</script>"#
            #expect(try await rig.post("/crises/declare", form: [("csrf", rita.csrf), ("brand", brand)], session: rita).status == .forbidden)
            #expect(try await rig.post("/crises/declare", form: [("csrf", vera.csrf), ("brand", brand)], session: vera).status == .forbidden)
            #expect(try await rig.post("/crises/declare", form: [("csrf", rita.csrf), ("brand", brand)], session: adam).status == .forbidden)
            #expect(try await rig.post("/crises/declare", form: [("brand", brand)], session: adam).status == .forbidden)
            #expect(String(buffer: try await rig.get("/crises", session: vera).body).contains("No crises."))
            let declared = try await rig.post("/crises/declare", form: [("csrf", adam.csrf), ("brand", brand), ("note", "outage")], session: adam)
            #expect(declared.status == .seeOther && declared.headers[.location] == "/crises")
            let page = String(buffer: try await rig.get("/crises", session: adam).body)
            #expect(page.contains("1 open") && page.contains("declared") && page.contains("Declare a crisis"))
            #expect(!page.contains("<script>document") && page.contains("&lt;script&gt;"))
            let crisisID = try #require(try await rig.store.crises(limit: 1).first?.id)
            #expect(page.contains("<tr><td>\(crisisID)</td>"), "the row shows the crisis's number")
            #expect(try await rig.post("/crises/declare", form: [("csrf", adam.csrf), ("brand", "  ")], session: adam).status == .badRequest)
            #expect(try await rig.post("/crises/explode", form: [("csrf", adam.csrf), ("brand", brand)], session: adam).status == .notFound)
            #expect(try await rig.post("/crises/end", form: [("csrf", rita.csrf), ("brand", brand)], session: rita).status == .forbidden)
            #expect(try await rig.post("/crises/end", form: [("csrf", adam.csrf), ("brand", brand)], session: adam).status == .seeOther)
            #expect(String(buffer: try await rig.get("/crises", session: vera).body).contains("0 open"))
            #expect(try await rig.post("/crises/end", form: [("csrf", adam.csrf), ("brand", brand)], session: adam).status == .conflict)

            // A thread action too; then the audit log, newest first, for the admin only.
            #expect(try await rig.post("/threads/\(rig.threads[0])/ack", form: [("csrf", rita.csrf)], session: rita).status == .seeOther)
            #expect(try await rig.get("/audit", session: vera).status == .forbidden)
            #expect(try await rig.get("/audit", session: rita).status == .forbidden)
            #expect(!String(buffer: try await rig.get("/", session: rita).body).contains(#"href="/audit""#))
            let audit = try await rig.get("/audit", session: adam)
            #expect(audit.status == .ok)
            let text = String(buffer: audit.body)
            #expect(text.contains(#"href="/audit""#))
            #expect(text.contains("<td>web:rita</td><td>acknowledged</td><td><a href=\"/threads/\(rig.threads[0])\">thread \(rig.threads[0])</a>"), "\(text)")
            #expect(text.contains("<td>web:adam</td><td>crisis.declared</td>") && text.contains("<td>web:adam</td><td>crisis.ended</td>"))
            #expect(!text.contains("<script>document") && text.contains("&lt;script&gt;"))
            #expect(try await rig.get("/audit?offset=-3", session: adam).status == .badRequest)
            #expect(try await rig.get("/audit").status == .seeOther)
        }
    }

    /// Contacts are an admin's: search, the card and timeline (escaped), the privacy export as a
    /// download (POST with the CSRF token) and the erasure (ERASE typed), each in the audit log.
    @Test func contactsSearchExportAndEraseAreAnAdminsAndAudited() async throws {
        try await DashRig.with { rig in
            _ = try await rig.store.importContacts(actor: "test", now: t0) { session in
                try await session.upsert([Contact(externalID: "crm-1", name: #"Ada <img src=x onerror=alert(1)> Lovelace"#,
                                                  emails: ["ada@example.org"], company: "Engines", tier: "gold")])
            }
            let vera = try await rig.login("vera"), rita = try await rig.login("rita"), adam = try await rig.login("adam")
            #expect(try await rig.get("/contacts?q=ada", session: vera).status == .forbidden)
            #expect(try await rig.get("/contacts?q=ada", session: rita).status == .forbidden)
            let search = String(buffer: try await rig.get("/contacts?q=LOVELACE", session: adam).body)
            let id = try #require(search.firstMatch(of: /href="\/contacts\/(\d+)"/).map { String($0.1) })
            #expect(!search.contains("<img src=x") && search.contains("&lt;img"))
            #expect(String(buffer: try await rig.get("/contacts?q=ada@example.org", session: adam).body).contains(#"href="/contacts/\#(id)""#))
            #expect(String(buffer: try await rig.get("/contacts?q=nobody-here", session: adam).body).contains("No contact matches."))
            #expect(try await rig.get("/contacts/\(id)", session: rita).status == .forbidden)
            let card = String(buffer: try await rig.get("/contacts/\(id)", session: adam).body)
            #expect(card.contains("crm-1") && card.contains("ada@example.org") && card.contains("No linked mentions.") && !card.contains("<img src=x"))
            #expect(try await rig.get("/contacts/999999", session: adam).status == .notFound)

            #expect(try await rig.post("/contacts/\(id)/export", form: [("csrf", rita.csrf)], session: rita).status == .forbidden)
            #expect(try await rig.post("/contacts/\(id)/export", form: [], session: adam).status == .forbidden)
            let export = try await rig.post("/contacts/\(id)/export", form: [("csrf", adam.csrf)], session: adam)
            #expect(export.status == .ok && export.headers[.contentDisposition] == "attachment; filename=\"contact-\(id).json\"")
            let json = try #require(try JSONSerialization.jsonObject(with: Data(buffer: export.body)) as? [String: Any])
            #expect((json["contact"] as? [String: Any])?["external_id"] as? String == "crm-1", "\(json.keys)")

            #expect(try await rig.post("/contacts/\(id)/erase", form: [("csrf", adam.csrf), ("confirm", "erase")], session: adam).status == .badRequest)
            #expect(try await rig.post("/contacts/\(id)/erase", form: [("csrf", rita.csrf), ("confirm", "ERASE")], session: rita).status == .forbidden)
            let erased = try await rig.post("/contacts/\(id)/erase", form: [("csrf", adam.csrf), ("confirm", "ERASE")], session: adam)
            #expect(erased.status == .ok && String(buffer: erased.body).contains("Contact \(id) erased"))
            let audit = String(buffer: try await rig.get("/audit", session: adam).body)
            #expect(audit.contains("<td>web:adam</td><td>export</td><td>contact \(id)</td>"), "\(audit)")
            #expect(audit.contains("<td>web:adam</td><td>erase</td><td>contact \(id)</td>"))
        }
    }

    /// Reports: anyone signed in reads the SVG charts with their tables; labels are escaped in
    /// the SVG; a CSV download is recorded in the audit log and defuses spreadsheet formulas.
    @Test func reportsDrawChartsWithTablesAndCSVDownloads() async throws {
        try await DashRig.with { rig in
            let vera = try await rig.login("vera"), rita = try await rig.login("rita"), adam = try await rig.login("adam")
            #expect(try await rig.post("/threads/\(rig.threads[0])/ack", form: [("csrf", rita.csrf)], session: rita).status == .seeOther)
            #expect(try await rig.post("/crises/declare", form: [("csrf", adam.csrf), ("brand", "Acme")], session: adam).status == .seeOther)
            let page = try await rig.get("/reports?days=7", session: vera)
            #expect(page.status == .ok)
            let text = String(buffer: page.body)
            for title in ["Response times", "SLA attainment", "Volume per brand", "Fairness by segment"] {
                #expect(text.contains("<title>\(title)</title>") && text.contains("<h2>\(title)</h2>"), "\(title)")
            }
            #expect(text.components(separatedBy: "<svg ").count == 5 && !text.contains("<script>document"))
            #expect(text.contains("<td>&lt; 15m</td><td>1</td>"), "\(text)")
            #expect(text.contains(#"href="/reports/fairness.csv?days=7""#))
            // The declared crisis is marked beside its brand's volume.
            #expect(text.contains("<td>Acme</td><td>0</td><td>-</td><td>declared 2026-"), "\(text)")
            #expect(text.contains("0 ✱ crisis"))
            let csv = try await rig.get("/reports/response-times.csv?days=7", session: vera)
            #expect(csv.status == .ok && csv.headers[.contentType] == "text/csv; charset=utf-8")
            #expect(csv.headers[.contentDisposition] == #"attachment; filename="response-times.csv""#)
            #expect(String(buffer: csv.body).hasPrefix("\"first response\",\"threads\",\"share\"\r\n\"< 15m\",\"1\","))
            #expect(try await rig.get("/reports/passwords.csv", session: vera).status == .notFound)
            #expect(try await rig.get("/reports?days=0", session: vera).status == .badRequest)
            #expect(try await rig.get("/reports?days=abc", session: vera).status == .badRequest)
            #expect(try await rig.get("/reports").status == .seeOther)
            let audit = String(buffer: try await rig.get("/audit", session: adam).body)
            #expect(audit.contains("<td>web:vera</td><td>download</td><td>-</td><td>response-times.csv, last 7 days</td>"), "\(audit)")
        }
    }

    /// The queue rows written in Swift are byte for byte what the Mustache row template gives,
    /// hostile text included (escaped the same), with and without the responder's forms.
    @Test func queueRowsWrittenDirectlyMatchTheTemplate() throws {
        let hostile = #"<script>alert('x')</script> & "quoted" é 🚀"#
        let rows = [
            QueueRowsHTML.Row(id: 7, severity: "P1", status: "new", due: "5m", dueClass: "", dueTitle: "acknowledge due at 2026",
                              deadline: "2026-12-03T07:00:00Z", waiting: "2h", brand: hostile, channel: "social", assignee: "-",
                              title: hostile, why: hostile, isNew: true),
            QueueRowsHTML.Row(id: 8, severity: "P3", status: "acknowledged", due: "breached", dueClass: "breached", dueTitle: hostile,
                              deadline: nil, waiting: "3d", brand: "-", channel: "mail", assignee: "ana'<b>", title: "t", why: "",
                              isNew: false),
        ]
        for canAct in [true, false] {
            let values: [String: Any] = [
                "canAct": canAct, "csrfToken": "tok\"<>", "returnPath": "/?brand=a&b='c'",
                "rows": rows.map { r -> [String: Any] in
                    var row: [String: Any] = ["id": r.id, "severity": r.severity, "status": r.status, "due": r.due, "dueClass": r.dueClass,
                                              "dueTitle": r.dueTitle, "waiting": r.waiting, "brand": r.brand, "channel": r.channel,
                                              "assignee": r.assignee, "title": r.title, "why": r.why, "isNew": r.isNew]
                    if let d = r.deadline { row["deadline"] = d }
                    return row
                },
            ]
            let template = try #require(Templates.library.render(values, withTemplate: "queueRows"))
            let direct = QueueRowsHTML.render(rows, canAct: canAct, csrfToken: "tok\"<>", returnPath: "/?brand=a&b='c'")
            #expect(direct == template)
            #expect(!direct.contains("<script>") && direct.contains("&lt;script&gt;alert(&#39;x&#39;)"))
        }
    }

    @Test func chartLabelsAreEscapedAndCSVCellsAreNotFormulas() {
        let svg = ReportCharts.bars([.init(label: "<script>alert(1)</script>", value: 2, text: "\"2\" & more")], title: "a<b")
        #expect(!svg.contains("<script>") && svg.contains("&lt;script&gt;") && svg.contains("&quot;2&quot; &amp; more") && svg.contains("<title>a&lt;b</title>"))
        #expect(ReportCharts.bars([], title: "empty").contains("no data"))
        let csv = ReportCharts.csv(["a", "b"], [["=HYPERLINK(\"x\")", "-3"], ["@SUM(A1)", "plain"]])
        #expect(csv == "\"a\",\"b\"\r\n\"'=HYPERLINK(\"\"x\"\")\",\"-3\"\r\n\"'@SUM(A1)\",\"plain\"\r\n")
    }

    /// After login the page goes back to `next` only when it is a path of this site: never to
    /// another host, however the browser would read it.
    @Test func theLoginReturnsOnlyToAPathOfThisSite() {
        #expect(DashboardRoutes.localPath("/threads/7?x=1") == "/threads/7?x=1")
        for hostile in ["//evil.example", "/\\evil.example", "/\t/evil.example", "/\n/evil.example", "https://evil.example/",
                        "javascript:alert(1)", "evil.example", "/\u{0}/evil.example"] {
            #expect(DashboardRoutes.localPath(hostile) == nil, "\(hostile.debugDescription)")
        }
    }

    /// The contacts page links to the likely duplicate pairs (names escaped), each with a merge
    /// form either way; only an admin with the session's CSRF token merges, and the audit says so.
    @Test func duplicatePairsAreMergedFromTheContactsPagesByAnAdmin() async throws {
        try await DashRig.with { rig in
            _ = try await rig.store.importContacts(actor: "test", now: t0) { session in
                try await session.upsert([
                    Contact(externalID: "crm-1", name: "Ada <b>Lovelace</b>", emails: ["ada@example.org"], company: "Engines"),
                    Contact(externalID: "crm-2", name: "Ada <b>Lovelace</b>", emails: ["ada@example.org"], company: "Engines"),
                ])
            }
            let rita = try await rig.login("rita"), adam = try await rig.login("adam")
            #expect(String(buffer: try await rig.get("/contacts", session: adam).body).contains(#"href="/contacts/duplicates""#))
            #expect(try await rig.get("/contacts/duplicates", session: rita).status == .forbidden)
            let page = String(buffer: try await rig.get("/contacts/duplicates", session: adam).body)
            #expect(page.contains("1 pair scoring 0.75") && !page.contains("<b>Lovelace") && page.contains("&lt;b&gt;Lovelace"), "\(page)")
            let ids = page.matches(of: /name="keep" value="(\d+)"/).map { ContactID(String($0.1))! }
            #expect(ids.count == 2 && ids[0] != ids[1])
            let (keep, remove) = (ids[0], ids[1])
            #expect(try await rig.get("/contacts/duplicates?minimum=7", session: adam).status == .badRequest)
            let form = [("csrf", adam.csrf), ("keep", String(keep)), ("remove", String(remove))]
            #expect(try await rig.post("/contacts/merge", form: [("csrf", rita.csrf), ("keep", String(keep)), ("remove", String(remove))], session: rita).status == .forbidden)
            #expect(try await rig.post("/contacts/merge", form: Array(form.dropFirst()), session: adam).status == .forbidden)
            #expect(try await rig.post("/contacts/merge", form: [("csrf", adam.csrf), ("keep", String(keep))], session: adam).status == .badRequest)
            #expect(try await rig.store.contact(id: remove) != nil)
            let merged = try await rig.post("/contacts/merge", form: form, session: adam)
            #expect(merged.status == .ok && String(buffer: merged.body).contains("Merged"))
            #expect(try await rig.store.contact(id: remove) == nil)
            #expect(try await rig.post("/contacts/merge", form: form, session: adam).status == .notFound)
            #expect(String(buffer: try await rig.get("/contacts/duplicates", session: adam).body).contains("No likely duplicates."))
            let audit = String(buffer: try await rig.get("/audit", session: adam).body)
            #expect(audit.contains("<td>web:adam</td><td>merge</td><td>contact \(keep)</td>"), "\(audit)")
        }
    }

    /// The JSON API does what the crises page does, for an admin only: declare, confirm (a
    /// declared crisis again), end; each with the actor in the audit log.
    @Test func theAPIDeclaresConfirmsAndEndsCrisesForAnAdminOnly() async throws {
        try await DashRig.with { rig in
            let accounts = UserAccounts(store: rig.store, hasher: BcryptHasher(cost: 4))
            let vera = try await accounts.issueToken(name: "vera", now: t0)
            let rita = try await accounts.issueToken(name: "rita", now: t0)
            let adam = try await accounts.issueToken(name: "adam", now: t0)
            let body = #"{"brand": "Acme", "note": "outage"}"#
            #expect(try await rig.api(.post, "/api/crises/declare", token: vera, json: body).status == .forbidden)
            #expect(try await rig.api(.post, "/api/crises/declare", token: rita, json: body).status == .forbidden)
            #expect(try await rig.api(.post, "/api/crises/declare", token: "oc_" + String(repeating: "0", count: 64), json: body).status == .unauthorized)
            #expect(try await rig.store.crises(limit: 10).isEmpty)
            let declared = try await rig.api(.post, "/api/crises/declare", token: adam, json: body)
            #expect(declared.status == .created)
            let id = try #require((try JSONSerialization.jsonObject(with: Data(buffer: declared.body)) as? [String: Any])?["id"] as? Int)
            #expect(try await rig.store.crises(limit: 10).map(\.id) == [CrisisID(Int64(id))])
            #expect(try await rig.api(.post, "/api/crises/confirm", token: adam, json: body).status == .created)
            #expect(try await rig.api(.post, "/api/crises/declare", token: adam, json: #"{"brand": " "}"#).status == .badRequest)
            #expect(try await rig.api(.post, "/api/crises/declare", token: adam, json: "not json").status == .badRequest)
            #expect(try await rig.api(.post, "/api/crises/explode", token: adam, json: body).status == .notFound)
            // The configured token is an admin that must say who acts.
            #expect(try await rig.api(.post, "/api/crises/end", token: apiToken, json: body).status == .badRequest)
            let ended = try await rig.api(.post, "/api/crises/end", token: apiToken, json: #"{"brand": "Acme", "by": "ops"}"#)
            #expect(ended.status == .ok)
            let crisis = try #require(try JSONSerialization.jsonObject(with: Data(buffer: ended.body)) as? [String: Any])
            #expect(crisis["status"] as? String == "ended" && crisis["brand"] as? String == "Acme")
            #expect(try await rig.api(.post, "/api/crises/end", token: adam, json: body).status == .conflict)
            let listed = String(buffer: try await rig.api(.get, "/api/crises", token: vera).body)
            #expect(listed.contains(#""status":"ended""#))
            let audit = try await rig.store.activity(offset: 0, limit: 20)
            #expect(audit.contains { $0.actor == "api:adam" && $0.action == "crisis.declared" })
            #expect(audit.contains { $0.actor == "api:ops" && $0.action == "crisis.ended" })
        }
    }

    /// The JSON API does what the contacts pages do, for an admin only: search, a contact with
    /// their timeline, duplicates and a merge, the privacy export and the erasure (ERASE in the
    /// body), each recorded in the audit log under the token's person.
    @Test func theAPISearchesMergesExportsAndErasesContactsForAnAdminOnly() async throws {
        try await DashRig.with { rig in
            _ = try await rig.store.importContacts(actor: "test", now: t0) { session in
                try await session.upsert([
                    Contact(externalID: "crm-1", name: "Ada Lovelace", emails: ["ada@example.org"], company: "Engines", tier: "gold"),
                    Contact(externalID: "crm-2", name: "Ada Lovelace", emails: ["ada@example.org"], company: "Engines"),
                    Contact(externalID: "crm-3", name: "Charles Babbage", emails: ["charles@example.org"]),
                ])
            }
            let accounts = UserAccounts(store: rig.store, hasher: BcryptHasher(cost: 4))
            let vera = try await accounts.issueToken(name: "vera", now: t0)
            let rita = try await accounts.issueToken(name: "rita", now: t0)
            let adam = try await accounts.issueToken(name: "adam", now: t0)
            func object(_ r: TestResponse) throws -> [String: Any] {
                try #require(try JSONSerialization.jsonObject(with: Data(buffer: r.body)) as? [String: Any])
            }
            for token in [vera, rita] {
                #expect(try await rig.api(.get, "/api/contacts?q=ada", token: token).status == .forbidden)
                #expect(try await rig.api(.get, "/api/contacts/1", token: token).status == .forbidden)
                #expect(try await rig.api(.get, "/api/contacts/duplicates", token: token).status == .forbidden)
                #expect(try await rig.api(.post, "/api/contacts/merge", token: token, json: #"{"keep": 1, "remove": 2}"#).status == .forbidden)
                #expect(try await rig.api(.post, "/api/contacts/1/export", token: token).status == .forbidden)
                #expect(try await rig.api(.post, "/api/contacts/1/erase", token: token, json: #"{"confirm": "ERASE"}"#).status == .forbidden)
            }
            #expect(try await rig.api(.get, "/api/contacts", token: adam).status == .badRequest)
            let found = try object(try await rig.api(.get, "/api/contacts?q=lovelace", token: adam))
            let contacts = try #require(found["contacts"] as? [[String: Any]])
            #expect(Set(contacts.compactMap { $0["external_id"] as? String }) == ["crm-1", "crm-2"])
            let keep = try #require(contacts.first { $0["external_id"] as? String == "crm-1" }?["id"] as? Int)
            let other = try #require(contacts.first { $0["external_id"] as? String == "crm-2" }?["id"] as? Int)
            let shown = try object(try await rig.api(.get, "/api/contacts/\(keep)", token: adam))
            #expect((shown["contact"] as? [String: Any])?["emails"] as? [String] == ["ada@example.org"])
            #expect((shown["timeline"] as? [Any])?.isEmpty == true)
            #expect(try await rig.api(.get, "/api/contacts/999999", token: adam).status == .notFound)

            let duplicates = try object(try await rig.api(.get, "/api/contacts/duplicates", token: adam))
            let pairs = try #require(duplicates["pairs"] as? [[String: Any]])
            #expect(pairs.count == 1)
            let ids = Set([pairs[0]["first"], pairs[0]["second"]].compactMap { ($0 as? [String: Any])?["id"] as? Int })
            #expect(ids == [keep, other] && (pairs[0]["reasons"] as? [String])?.isEmpty == false)
            #expect(try await rig.api(.get, "/api/contacts/duplicates?minimum=2", token: adam).status == .badRequest)
            #expect(try await rig.api(.post, "/api/contacts/merge", token: adam, json: #"{"keep": \#(keep)}"#).status == .badRequest)
            #expect(try await rig.api(.post, "/api/contacts/merge", token: adam, json: #"{"keep": \#(keep), "remove": \#(keep)}"#).status == .badRequest)
            #expect(try await rig.api(.post, "/api/contacts/merge", token: adam, json: #"{"keep": \#(keep), "remove": 999999}"#).status == .notFound)
            let merged = try await rig.api(.post, "/api/contacts/merge", token: adam, json: #"{"keep": \#(keep), "remove": \#(other)}"#)
            #expect(merged.status == .ok)
            let mergedBody = try object(merged)
            #expect((mergedBody["audit"] as? [String])?.first?.contains("crm-2") == true)
            #expect(try await rig.store.contact(id: ContactID(Int64(other))) == nil)
            #expect(try await rig.store.contact(id: ContactID(Int64(keep)))?.mergedExternalIDs == ["crm-2"])
            let after = try object(try await rig.api(.get, "/api/contacts/duplicates", token: adam))
            #expect((after["pairs"] as? [Any])?.isEmpty == true)

            let export = try await rig.api(.post, "/api/contacts/\(keep)/export", token: adam)
            let exported = try object(export)
            #expect(export.status == .ok && (exported["contact"] as? [String: Any])?["external_id"] as? String == "crm-1")
            #expect(try await rig.api(.post, "/api/contacts/\(keep)/erase", token: adam).status == .badRequest)
            #expect(try await rig.store.contact(id: ContactID(Int64(keep)))?.name == "Ada Lovelace")
            #expect(try await rig.api(.post, "/api/contacts/\(keep)/forget", token: adam).status == .notFound)
            let erased = try await rig.api(.post, "/api/contacts/\(keep)/erase", token: adam, json: #"{"confirm": "ERASE"}"#)
            let erasedBody = try object(erased)
            #expect(erased.status == .ok && erasedBody["contact_id"] as? Int == keep)
            #expect(try await rig.api(.post, "/api/contacts/999999/erase", token: adam, json: #"{"confirm": "ERASE"}"#).status == .notFound)
            let audit = try await rig.store.activity(offset: 0, limit: 20).filter { $0.actor == "api:adam" }.map(\.action)
            #expect(Set(audit).isSuperset(of: ["merge", "export", "erase"]), "\(audit)")
        }
    }

    /// The reports' aggregates as JSON for anyone with a token (a viewer reads them).
    @Test func theAPIGivesTheReportsAggregatesToAViewer() async throws {
        try await DashRig.with { rig in
            let vera = try await UserAccounts(store: rig.store, hasher: BcryptHasher(cost: 4)).issueToken(name: "vera", now: t0)
            rig.clock.set(t0 + 3600)
            let response = try await rig.api(.get, "/api/reports?days=7", token: vera)
            #expect(response.status == .ok)
            let json = try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
            #expect(json["days"] as? Int == 7)
            let times = try #require(json["response_times"] as? [[String: Any]])
            #expect(times.compactMap { $0["threads"] as? Int }.reduce(0, +) == 2)
            let volume = try #require(json["volume"] as? [[String: Any]])
            #expect(volume.compactMap { $0["mentions"] as? Int }.reduce(0, +) == 2)
            #expect(json["fairness"] is [Any] && json["attainment"] is [Any] && json["crises"] is [Any])
            #expect(try await rig.api(.get, "/api/reports?days=0", token: vera).status == .badRequest)
            #expect(try await rig.api(.get, "/api/reports?days=x", token: vera).status == .badRequest)
            #expect(try await rig.client.execute(uri: "/api/reports", method: .get).status == .unauthorized)
        }
    }

    @Test func unknownThreadsAndActionsAreClearPages() async throws {
        try await DashRig.with { rig in
            let rita = try await rig.login("rita")
            #expect(try await rig.get("/threads/999999", session: rita).status == .notFound)
            let bogus = try await rig.post("/threads/\(rig.threads[0])/explode", form: [("csrf", rita.csrf)], session: rita)
            #expect(bogus.status == .notFound)
            #expect(try await rig.post("/threads/999999/ack", form: [("csrf", rita.csrf)], session: rita).status == .notFound)
            #expect(try await rig.post("/threads/\(rig.threads[0])/note", form: [("csrf", rita.csrf), ("note", "  ")], session: rita).status == .badRequest)
        }
    }
}
