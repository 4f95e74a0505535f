import Foundation
import Hummingbird
import Logging
import NIOCore
import NIOFoundationCompat
import OutcryApp
import OutcryModel

/// Outcry's HTTP side, run by `outcry run` as one more service:
///
/// - `GET /healthz` — `ok` (the process answers).
/// - `GET /readyz` — `ready`, or 503 with the reason (the store does not answer, migrations missing).
/// - `GET /openapi.json` — the JSON API described as an OpenAPI 3 document (``OpenAPIDocument``).
/// - `GET /metrics` — Prometheus text: the pipeline's counts (``PipelineMetrics``) and each route's latency.
/// - The dashboard (``DashboardRoutes``): `/login`, `/` (the queue), `/threads/{id}`, `/sources`,
///   for the users of `outcry users add`.
/// - The JSON API (bearer token: the configured `api_token`, an admin, or a person's token from
///   `outcry users token NAME`, with that person's role; reading needs a viewer, acting a
///   responder, and a person's token acts under the person's name): `GET /api/threads` (the queue, most urgent first;
///   `brand`, `channel`, `severity`, `urgency`, `assignee`, `segment`, `status`, `offset`, `limit` in the query string),
///   `GET /api/threads/{id}` (the thread, its reasons, contact and lifecycle events),
///   `POST /api/threads/{id}/{ack|respond|hold|resolve|reopen|assign}` with a JSON body
///   `{"by": "ana", "note": "…", "to": "person", "team": "team"}` — the same checked actions as
///   the CLI; a refused transition answers 409 with the reason. `GET /api/crises`.
///   `POST /api/mentions/{id}/label` with `{"by", "sentiment", "complaint", "urgency"}` stores a
///   person's label for the scorer (201 with the label id).
/// - The signed acknowledge links of the notifications: `GET /ack/{token}` shows the thread and
///   a button; `POST /ack/{token}` acknowledges it. A link preview (chat apps fetch every URL
///   they see) therefore never acknowledges anything by itself.
///
/// ```swift
/// let web = WebServer(desk: Desk(store: store, alerting: alertSettings), settings: WebSettings(port: 8080, apiToken: token))
/// try await web.application().runService()
/// ```
public struct WebServer: Sendable {
    let desk: Desk
    let settings: WebSettings
    let logger: Logger
    let accounts: UserAccounts
    let limiter: LoginLimiter

    /// `desk` holds the use cases (its store, alert settings, clock, brands and contact region);
    /// `hasher` checks the dashboard's passwords (bcrypt; tests pass a lower cost).
    public init(desk: Desk, settings: WebSettings, hasher: any PasswordHasher = BcryptHasher(), logger: Logger = Logger(label: "outcry.web")) {
        self.desk = desk
        self.settings = settings
        self.logger = logger
        self.accounts = desk.accounts(hasher: hasher)
        self.limiter = LoginLimiter()
    }

    /// The Hummingbird application (a `Service`); `onRunning` gets the bound port (for port 0).
    public func application(onRunning: @escaping @Sendable (Int) async -> Void = { _ in }) -> some ApplicationProtocol {
        Application(
            router: router(),
            // A connection that sends no complete request in time is closed (half-sent
            // requests used to hold their connections open indefinitely).
            server: .http1(configuration: .init(idleTimeout: TimeAmount(settings.idleTimeout))),
            configuration: .init(address: .hostname(settings.host, port: settings.port), serverName: "outcry"),
            onServerRunning: { [accounts, logger, settings] channel in
                let port = channel.localAddress?.port ?? settings.port
                await onRunning(port)
                // A first run without users says how to make one (the dashboard needs a login).
                if (try? await accounts.isEmpty()) == true {
                    logger.notice("dashboard: no users yet; add one with `outcry users add NAME --role admin`, then log in at http://\(settings.host):\(port)/login")
                }
            },
            logger: logger)
    }

    func router() -> Router<WebContext> {
        let router = Router(context: WebContext.self)
        _ = MetricsExport.registry  // the process's metrics backend, before anything counts
        router.add(middleware: ForwardedAddressMiddleware(trusted: Set(settings.trustedProxies)))
        router.add(middleware: RequestMetricsMiddleware())
        router.add(middleware: SecurityHeadersMiddleware())
        router.get("/healthz") { _, _ in "ok" }
        router.get("/metrics") { _, _ in MetricsExport.response() }
        router.get("/readyz") { _, _ -> Response in
            let reason = await desk.notReadyReason()
            return Response(status: reason == nil ? .ok : .serviceUnavailable,
                            headers: [.contentType: "text/plain; charset=utf-8", .cacheControl: "no-store"],
                            body: .init(byteBuffer: ByteBuffer(string: (reason.map { "not ready: " + $0 } ?? "ready") + "\n")))
        }
        router.get("/openapi.json") { _, _ -> Response in
            Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
                     body: .init(byteBuffer: ByteBuffer(string: OpenAPIDocument.json)))
        }
        let queueCache = QueuePageCache(), apiQueueCache = MomentCache<ByteBuffer>()
        router.add(middleware: WriteInvalidatesMiddleware { queueCache.invalidate(); apiQueueCache.invalidate() })
        DashboardRoutes(desk: desk, accounts: accounts, limiter: limiter,
                        alwaysSecure: desk.dashboardIsHTTPS, queueCache: queueCache).add(to: router)
        let api = router.group("/api").add(middleware: BearerTokenMiddleware(token: settings.apiToken, accounts: accounts))
        api.get("/threads") { request, _ -> Response in
            let params: QueueParameters
            do { params = try QueueParameters(request, defaultLimit: 200, maxLimit: 5000) } catch {
                return try Self.error(.badRequest, String(describing: error))
            }
            // The threads' rows change only with a new thread, mention or event (the stamp), or a
            // write through this server; an answer is kept for a moment (``MomentCache``).
            let now = desk.now, stamp = try await desk.queueStamp(), key = params.query(offset: params.offset)
            if let kept = apiQueueCache.lookup(key, stamp: stamp, now: now) { return Self.jsonResponse(kept) }
            let generation = apiQueueCache.generation
            let body = try Self.encodeJSON(["threads": try await desk.queueThreads(filter: params.filter, offset: params.offset, limit: params.limit)])
            // Large pages (`limit` up to 5,000) are not kept: 64 of them would hold a lot of memory.
            if body.readableBytes <= 256 * 1024 { apiQueueCache.keep(key, stamp: stamp, generation: generation, now: now, body) }
            return Self.jsonResponse(body)
        }
        api.get("/threads/{id}") { _, context -> Response in
            let id = ThreadID(try context.parameters.require("id", as: Int64.self))
            return try await Self.withThread(id) { try Self.json(try await threadDetail(id)) }
        }
        api.post("/threads/{id}/{action}") { request, context -> Response in
            if let refused = try Self.refuse(context, unless: .responder) { return refused }
            let id = ThreadID(try context.parameters.require("id", as: Int64.self))
            let action = try context.parameters.require("action")
            let bytes = try await request.body.collect(upTo: 64 * 1024)
            var body = ActionBody()
            if bytes.readableBytes > 0 {
                do { body = try JSONDecoder().decode(ActionBody.self, from: Data(buffer: bytes)) } catch {
                    // The decoder's own wording (types, coding paths) stays out of the answer.
                    return try Self.error(.badRequest, "the body is not the expected JSON object {\"by\", \"note\", \"to\", \"team\"} with string values")
                }
            }
            // A person's token acts under the person's name, whatever the body says.
            if let p = context.principal, p.name != Self.configuredTokenName { body.by = p.name }
            return try await Self.withThread(id) { try await perform(id, action: action, body: body) }
        }
        api.post("/mentions/{id}/label") { request, context -> Response in
            if let refused = try Self.refuse(context, unless: .responder) { return refused }
            return try await label(MentionID(try context.parameters.require("id", as: Int64.self)), try await request.body.collect(upTo: 64 * 1024),
                                   actor: context.principal.flatMap { $0.name == Self.configuredTokenName ? nil : $0.name })
        }
        api.get("/crises") { _, _ -> Response in
            try Self.json(["crises": try await desk.crises(limit: 100).map(CrisisView.init)])
        }
        addAdminAPI(to: api, desk: desk)
        router.get("/ack/{token}") { request, context -> Response in
            try await ackPage(token: try context.parameters.require("token"), confirm: false,
                              rememberedName: request.cookies[Self.ackNameCookie]?.value)
        }
        router.post("/ack/{token}") { request, context -> Response in
            let form = try await DashboardRoutes.form(request)
            return try await ackPage(token: try context.parameters.require("token"), confirm: true, name: form["name"],
                                     rememberedName: request.cookies[Self.ackNameCookie]?.value,
                                     secure: request.headers[.xForwardedProto]?.lowercased() == "https")
        }
        return router
    }

    // MARK: JSON API

    /// `POST /api/mentions/{id}/label` with `{"by", "sentiment"?, "complaint"?, "urgency"?}`
    /// (`urgency: []` says "no urgency"): stores a person's label on the mention.
    func label(_ id: MentionID, _ bytes: ByteBuffer, actor: String? = nil) async throws -> Response {
        struct Body: Decodable { var by: String?; var sentiment: String?; var complaint: Bool?; var urgency: [String]? }
        let body: Body
        do { body = try JSONDecoder().decode(Body.self, from: Data(buffer: bytes)) } catch {
            return try Self.error(.badRequest, "the body is not the expected JSON object {\"by\", \"sentiment\", \"complaint\", \"urgency\"}: \(error)")
        }
        guard let by = actor ?? body.by?.trimmingCharacters(in: .whitespaces), !by.isEmpty else {
            return try Self.error(.badRequest, "say who labels: {\"by\": \"name\"} in the JSON body")
        }
        var sentiment: SentimentLabel?
        if let s = body.sentiment {
            guard let v = SentimentLabel(rawValue: s) else { return try Self.error(.badRequest, "\"sentiment\" must be negative, neutral or positive") }
            sentiment = v
        }
        var urgency: [UrgencyCategory]?
        if let names = body.urgency {
            var cats: [UrgencyCategory] = []
            for n in names {
                guard let c = UrgencyCategory(rawValue: n) else { return try Self.error(.badRequest, "unknown urgency category \"\(n)\"") }
                cats.append(c)
            }
            urgency = cats
        }
        guard sentiment != nil || body.complaint != nil || urgency != nil else {
            return try Self.error(.badRequest, "a label needs at least one of \"sentiment\", \"complaint\", \"urgency\"")
        }
        do {
            let labelID = try await desk.label(mentionID: id, by: ActorName.make(.api, by), sentiment: sentiment, complaint: body.complaint, urgency: urgency)
            return try Self.json(["id": labelID], status: .created)
        } catch let error as DeskError {
            return try Self.error(DashboardRoutes.status(error), error.description)
        }
    }

    struct ActionBody: Decodable, Sendable {
        var by: String?
        var note: String?
        var to: String?
        var team: String?

        init() {}
    }

    struct ThreadDetailJSON: Encodable {
        var thread: MentionThread
        var assignee: String?
        var urgency: [UrgencyCategory]
        var reasons: [Reason]
        var contact: ContactView?
        var events: [EventView]
    }

    struct ContactView: Encodable {
        var id: ContactID
        var name: String
        var confidence: Double
        var reason: String
    }

    struct EventView: Encodable {
        var kind: String
        var actor: String
        var at: Date
        var from: String?
        var to: String
        var note: String?
        var assignee: String?

        init(_ e: ThreadEventSummary) {
            kind = e.kind; actor = e.actor; at = e.at; from = e.from; to = e.to; note = e.note; assignee = e.assignee
        }
    }

    struct CrisisView: Encodable {
        var id: CrisisID?
        var brand: String
        var status: String
        var origin: String
        var startedAt: Date
        var endedAt: Date?
        var summary: String
        var topTerms: [String]
        var exampleMentionIds: [String]
        var foldedAlerts: Int

        init(_ c: CrisisSummary) {
            id = c.id
            brand = c.brand
            status = c.open ? "open" : "ended"
            origin = c.origin
            startedAt = c.startedAt
            endedAt = c.endedAt
            summary = c.summary
            topTerms = c.topTerms
            exampleMentionIds = c.exampleIDs
            foldedAlerts = c.folded
        }
    }

    func threadDetail(_ id: ThreadID) async throws -> ThreadDetailJSON {
        let d = try await desk.threadDetail(id)
        return ThreadDetailJSON(
            thread: d.thread, assignee: d.assignee, urgency: d.urgency, reasons: d.reasons,
            contact: d.contact.map { ContactView(id: $0.id, name: $0.name, confidence: $0.confidence, reason: $0.reason) },
            events: d.events.map(EventView.init))
    }

    func perform(_ id: ThreadID, action: String, body: ActionBody) async throws -> Response {
        let command: Desk.Action
        switch action {
        case "ack", "acknowledge": command = .acknowledge
        case "respond": command = .respond
        case "hold": command = .hold
        case "resolve": command = .resolve
        case "reopen": command = .reopen
        case "assign":
            guard body.team?.isEmpty == false || body.to?.isEmpty == false else {
                return try Self.error(.badRequest, "assign needs \"to\" (a person) or \"team\" in the JSON body")
            }
            command = .assign
        default:
            return try Self.error(.notFound, "unknown action '\(action)': use ack, respond, hold, resolve, reopen or assign")
        }
        guard let by = body.by?.trimmingCharacters(in: .whitespaces), !by.isEmpty else {
            return try Self.error(.badRequest, "say who acts: {\"by\": \"name\"} in the JSON body")
        }
        do {
            return try Self.json(EventView(try await desk.transition(id, command, by: ActorName.make(.api, by), note: body.note,
                                                                     assignee: body.to, team: body.team)))
        } catch let error as DeskError where error.kind == .notFound {
            return try Self.error(.notFound, "no thread \(id)")
        }
    }

    /// The principal the configured `api_token` stands for (an admin who must say who acts).
    static let configuredTokenName = "api"

    /// A 403 when the request's principal lacks `role`; nil when it may go on.
    static func refuse(_ context: WebContext, unless role: Role) throws -> Response? {
        guard let p = context.principal else { return try error(.unauthorized, "missing or wrong bearer token") }
        guard p.role.allows(role) else { return try error(.forbidden, "\(p.name) is a \(p.role.rawValue); this needs a \(role.rawValue) or more") }
        return nil
    }

    static func withThread(_ id: ThreadID, _ body: () async throws -> Response) async throws -> Response {
        do {
            return try await body()
        } catch let e as DeskError where e.kind == .notFound {
            return try error(.notFound, "no thread \(id)")
        } catch let e as DeskError {
            return try error(DashboardRoutes.status(e), e.description)
        }
    }

    // MARK: acknowledge links

    /// The cookie that remembers who acknowledged from a link last time, for the next link.
    static let ackNameCookie = "outcry_ack_name"

    /// The acknowledge page: GET shows the thread and asks who is acknowledging (the name
    /// remembered from the last time filled in); POST acknowledges as `link:NAME`.
    func ackPage(token: String, confirm: Bool, name: String? = nil, rememberedName: String? = nil, secure: Bool = false) async throws -> Response {
        let id: ThreadID, thread: MentionThread, reopenedAt: Date?
        switch try await desk.ackLink(token) {
        case .notConfigured:
            return Self.html(.notFound, title: "Not available", "Acknowledge links are not configured on this Outcry (no <code>routes:</code>).")
        case .invalid(let reason, let expired):
            return Self.html(expired ? .gone : .badRequest, title: "Link not valid", Self.escape(reason) + ". Acknowledge the thread in the dashboard or with <code>outcry ack</code>.")
        case .noThread:
            return Self.html(.badRequest, title: "Link not valid", "The link names no thread.")
        case .unknownThread(let unknown):
            return Self.html(.notFound, title: "No such thread", "Thread \(unknown) is not in this Outcry (erased or purged?).")
        case .thread(let named, let found, let reopened):
            (id, thread, reopenedAt) = (named, found, reopened)
        }
        let title = "Thread \(id): " + Self.escape(thread.title)
        let about = "<p><strong>\(thread.severity.rawValue)</strong> · \(Self.escape(thread.sourceName)) · status <strong>\(thread.status.rawValue)</strong></p>"
            + "<p>\(Self.escape(thread.summary))</p>"
        // A link acknowledges only the episode (alert) it was sent for: a thread reopened since
        // is a new episode with its own alert and link.
        if let reopened = reopenedAt {
            return Self.html(.gone, title: title, about + """
                <p>This link was sent for an earlier episode of this thread, which was reopened at \(reopened.formatted(.iso8601)).
                It cannot acknowledge the new episode: use the link in the newer notification, the dashboard or <code>outcry ack</code>.</p>
                """)
        }
        let remembered = rememberedName.flatMap { $0.removingPercentEncoding }?.trimmingCharacters(in: .whitespaces) ?? ""
        let given = name?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        func form(_ note: String = "") -> String {
            """
            \(note)<form method="post"><label>Your name <input name="name" required maxlength="\(ActorName.maximumNameLength)" value="\(Self.escape(remembered))"></label>
            <button type="submit">Acknowledge</button></form>
            <p>Acknowledging stops the escalation; the thread still needs an answer.</p>
            """
        }
        if thread.status != .new {
            return Self.html(.ok, title: title, about + "<p>Nothing to do: this thread is already \(thread.status.rawValue).</p>")
        }
        guard confirm else { return Self.html(.ok, title: title, about + form()) }
        guard !given.isEmpty else {
            return Self.html(.badRequest, title: title, about + form("<p><strong>Say who is acknowledging:</strong> the thread's history records it.</p>"))
        }
        let actor = ActorName.make(.link, given)
        let outcome: AckOutcome
        do { outcome = try await desk.acknowledgeFromLink(id, by: actor) } catch let error as DeskError where error.kind == .conflict {
            return Self.html(.conflict, title: title, Self.escape(error.description))
        }
        switch outcome {
        case .refused(let reason):
            return Self.html(.ok, title: title, about + "<p>Nothing to do: \(Self.escape(reason)).</p>")
        case .acknowledged(let event):
            logger.notice("thread \(id) acknowledged through its link by \(actor)")
            var response = Self.html(.ok, title: title, about.replacingOccurrences(of: "status <strong>\(thread.status.rawValue)", with: "status <strong>\(event.to)")
                + "<p>Acknowledged by \(Self.escape(actor)) at \(event.at.formatted(.iso8601)). The escalation has stopped.</p>")
            let value = ActorName.parse(actor)?.name.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
            response.setCookie(Cookie(name: Self.ackNameCookie, value: value, maxAge: 365 * 86400, path: "/ack", secure: secure,
                                      httpOnly: true, sameSite: .lax))
            return response
        }
    }

    // MARK: responses

    static func json<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok) throws -> Response {
        jsonResponse(try encodeJSON(value), status: status)
    }

    /// The API's JSON: keys sorted and in snake case, dates in ISO 8601, slashes as they are.
    static func encodeJSON<T: Encodable>(_ value: T) throws -> ByteBuffer {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return ByteBuffer(bytes: try encoder.encode(value))
    }

    static func jsonResponse(_ body: ByteBuffer, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "application/json; charset=utf-8"], body: .init(byteBuffer: body))
    }

    static func error(_ status: HTTPResponse.Status, _ message: String) throws -> Response {
        try json(["error": message], status: status)
    }

    static func html(_ status: HTTPResponse.Status, title: String, _ body: String) -> Response {
        let page = """
            <!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
            <meta name="robots" content="noindex"><title>\(title) — Outcry</title>
            <style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem}button{font-size:1rem;padding:.5rem 1.2rem}</style>
            </head><body><h1>\(title)</h1>\(body)</body></html>
            """
        return Response(status: status, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
                        body: .init(byteBuffer: ByteBuffer(string: page)))
    }

    static func escape(_ s: String) -> String { Desk.escapeHTML(s) }
}

/// `Authorization: Bearer <token>` on every API request: the configured `api_token` (compared
/// in constant time; an admin) or a person's token (`outcry users token NAME`; their role). With
/// neither a configured token nor a person's token the API is closed (403), never open.
struct BearerTokenMiddleware: RouterMiddleware {
    let token: String?
    var accounts: UserAccounts? = nil

    func handle(_ request: Request, context: WebContext, next: (Request, WebContext) async throws -> Response) async throws -> Response {
        let given = request.headers[.authorization].flatMap(Self.bearerToken) ?? ""
        var context = context
        if let token, !token.isEmpty, Self.equal(Array(given.utf8), Array(token.utf8)) {
            context.principal = Principal(name: WebServer.configuredTokenName, role: .admin)
            return try await next(request, context)
        }
        if !given.isEmpty, let accounts, let principal = try await accounts.principal(apiToken: given) {
            context.principal = principal
            return try await next(request, context)
        }
        guard let token, !token.isEmpty else {
            return try WebServer.error(.forbidden, "the JSON API is off: set web.api_token (from the environment) or give a person's token (`outcry users token NAME`)")
        }
        var response = try WebServer.error(.unauthorized, "missing or wrong bearer token")
        response.headers[.wwwAuthenticate] = "Bearer"
        return response
    }

    /// The token of an `Authorization` value whose scheme is `Bearer` in any case (RFC 9110:
    /// auth schemes are case-insensitive), nil for any other scheme.
    static func bearerToken(_ value: String) -> String? {
        let parts = value.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        return parts[1].trimmingCharacters(in: .whitespaces)
    }

    static func equal(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        var diff = UInt8(a.count == b.count ? 0 : 1)
        for i in 0..<max(a.count, b.count) { diff |= (i < a.count ? a[i] : 0) ^ (i < b.count ? b[i] : 0) }
        return diff == 0
    }
}
