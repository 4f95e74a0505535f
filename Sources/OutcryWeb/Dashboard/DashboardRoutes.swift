import Foundation
import HTTPTypes
import Hummingbird
import Mustache
import NIOCore
import OutcryApp
import OutcryModel

/// The dashboard's pages, server-rendered with Mustache:
///
/// - `GET /login`, `POST /login`, `POST /logout` — sessions in the store; the cookie is
///   `HttpOnly`, `SameSite=Lax`, and `Secure` when served over TLS (the dashboard URL is
///   `https://`, or a proxy says `X-Forwarded-Proto: https`).
/// - `GET /` — the queue, ordered as `outcry queue` orders it, filters in the query string; 50 threads a
///   page by default (`limit` up to 200, `offset`), with "next" and "previous" links.
/// - `GET /threads/{id}` — one thread; `POST /threads/{id}/{action}` acts on it.
/// - `POST /mentions/{id}/label` — a label for the scorer.
/// - `GET /sources` — each source's health.
/// - `GET /crises` — crises; `POST /crises/declare|end` (admin) declares, confirms or ends one.
/// - `GET /audit` — the audit log (admin): every action and export, who and when.
/// - `GET /reports` — response times, SLA attainment, volume per brand, fairness by segment:
///   SVG charts with their tables; `GET /reports/{name}.csv` downloads one (audited).
/// - `GET /contacts?q=`, `GET /contacts/{id}` — search and a person's timeline (admin);
///   `POST /contacts/{id}/export|erase` — the privacy export (a JSON download) and erasure;
///   `GET /contacts/duplicates`, `POST /contacts/merge` — likely duplicate pairs and their merge.
/// - `GET /queue/events` — server-sent events: the queue changed (the page's script reloads its table).
///
/// Every form carries the session's CSRF token; every action is checked against the role on
/// the server (viewers read, responders act). Without a session a page redirects to the
/// login, which comes back to the page asked for.
struct DashboardRoutes: Sendable {
    static let sessionCookie = "outcry_session"
    static let loginCSRFCookie = "outcry_login_csrf"
    /// The queue page shows this many threads by default (the most urgent; filters narrow it,
    /// "next" and "previous" links page), as helpdesks page their queues.
    static let queuePageSize = 50
    /// The most threads one queue page shows (`?limit=`; more is this many).
    static let queueMaxLimit = 200

    let desk: Desk
    let accounts: UserAccounts
    let limiter: LoginLimiter
    /// Cookies get `Secure` regardless of the request (the dashboard URL is https).
    let alwaysSecure: Bool
    /// The queue pages read a moment ago (``QueuePageCache``); the server forgets them after every POST.
    var queueCache = QueuePageCache()

    func add(to router: Router<WebContext>) {
        router.get("/static/dashboard.js") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/javascript; charset=utf-8", .cacheControl: "no-cache"],
                     body: .init(byteBuffer: ByteBuffer(string: DashboardScript.source)))
        }
        router.get("/login") { request, context in try await loginPage(request, context) }
        router.post("/login") { request, context in try await login(request, context) }
        router.post("/logout") { request, context in try await logout(request, context) }
        let pages = router.group().add(middleware: SessionMiddleware(accounts: accounts, desk: desk))
        pages.get("/") { request, context in try await queuePage(request, context) }
        pages.get("/queue/events") { request, context in try queueEvents(request, context) }
        pages.get("/threads/{id}") { request, context in try await threadPage(request, context) }
        pages.post("/threads/{id}/{action}") { request, context in try await threadAction(request, context) }
        pages.post("/mentions/{id}/label") { request, context in try await labelAction(request, context) }
        pages.get("/sources") { request, context in try await sourcesPage(request, context) }
        pages.get("/audit") { request, context in try await auditPage(request, context) }
        pages.get("/crises") { request, context in try await crisesPage(request, context) }
        pages.post("/crises/{action}") { request, context in try await crisisAction(request, context) }
        pages.get("/reports") { request, context in try await reportsPage(request, context) }
        pages.get("/reports/{file}") { request, context in try await reportFile(request, context) }
        pages.get("/contacts") { request, context in try await contactsPage(request, context) }
        pages.get("/contacts/duplicates") { request, context in try await duplicatesPage(request, context) }
        pages.post("/contacts/merge") { request, context in try await mergeContacts(request, context) }
        pages.get("/contacts/{id}") { request, context in try await contactPage(request, context) }
        pages.post("/contacts/{id}/{action}") { request, context in try await contactAction(request, context) }
    }

    // MARK: login

    func loginPage(_ request: Request, _ context: WebContext, error: String? = nil, name: String = "",
                   status: HTTPResponse.Status = .ok) async throws -> Response {
        // Login CSRF: the form's token must equal a cookie only this site could have set.
        let token = request.cookies[Self.loginCSRFCookie]?.value ?? UserAccounts.randomToken()
        var response = Self.page(status, title: "Log in", template: "login", [
            "csrf": token, "next": Self.localPath(request.uri.queryParameters["next"].map(String.init)) ?? "/",
            "error": error as Any, "name": name,
        ], principal: nil)
        response.setCookie(cookie(Self.loginCSRFCookie, token, request: request, maxAge: 3600, path: "/login"))
        return response
    }

    func login(_ request: Request, _ context: WebContext) async throws -> Response {
        let form = try await Self.form(request)
        guard let cookieToken = request.cookies[Self.loginCSRFCookie]?.value, Self.same(form["csrf"], cookieToken) else {
            return Self.message(.forbidden, title: "Form expired", "The login form was not this site's, or it expired: log in again.", back: "/login", principal: nil)
        }
        let name = (form["name"] ?? "").trimmingCharacters(in: .whitespaces)
        let password = form["password"] ?? ""
        let now = desk.now
        if let wait = await limiter.retryAfter(account: name, address: context.remoteAddress, now: now) {
            var response = try await loginPage(request, context, error: "Too many failed logins: try again in \(Age.short(wait, precise: true)).",
                                               name: name, status: .tooManyRequests)
            response.headers[.retryAfter] = String(Int(wait.rounded(.up)))
            return response
        }
        guard !name.isEmpty, let session = try await accounts.login(name: name, password: password, now: now) else {
            await limiter.recordFailure(account: name, address: context.remoteAddress, now: now)
            return try await loginPage(request, context, error: "Wrong name or password.", name: name, status: .unauthorized)
        }
        await limiter.recordSuccess(account: name)
        var response = Self.redirect(Self.localPath(form["next"]) ?? "/")
        response.setCookie(cookie(Self.sessionCookie, session.cookie, request: request, maxAge: Int(UserAccounts.sessionLifetime), path: "/"))
        return response
    }

    func logout(_ request: Request, _ context: WebContext) async throws -> Response {
        let form = try await Self.form(request)
        guard let value = request.cookies[Self.sessionCookie]?.value,
              let principal = try await accounts.principal(sessionCookie: value, now: desk.now) else { return Self.redirect("/login") }
        guard Self.same(form["csrf"], principal.csrfToken ?? "") else { return Self.csrfRefused(principal) }
        try await accounts.logout(sessionCookie: value)
        var response = Self.redirect("/login")
        response.setCookie(cookie(Self.sessionCookie, "", request: request, maxAge: 0, path: "/"))
        return response
    }

    func cookie(_ name: String, _ value: String, request: Request, maxAge: Int, path: String) -> Cookie {
        let secure = alwaysSecure || request.headers[.xForwardedProto]?.lowercased() == "https"
        return Cookie(name: name, value: value, maxAge: maxAge, path: path, secure: secure, httpOnly: true, sameSite: .lax)
    }

    // MARK: queue

    func queuePage(_ request: Request, _ context: WebContext) async throws -> Response {
        let principal = try Self.signedIn(context)
        let params: QueueParameters
        do { params = try QueueParameters(request, defaultLimit: Self.queuePageSize, maxLimit: Self.queueMaxLimit) } catch {
            return Self.message(.badRequest, title: "Not a filter", String(describing: error), back: "/", principal: principal)
        }
        let now = desk.now
        // The stamp first: a change during the read then makes the next request read again.
        let stamp = try await desk.queueStamp()
        let key = params.query(offset: params.offset)
        var overviews: [ThreadOverview]
        if let kept = queueCache.lookup(key, stamp: stamp, now: now) {
            overviews = kept
        } else {
            let generation = queueCache.generation
            // One more than a page says whether a next page exists.
            overviews = try await desk.queue(filter: params.filter, sort: .severity, limit: params.limit + 1, offset: params.offset)
            queueCache.store(key, stamp: stamp, generation: generation, now: now, overviews)
        }
        let more = overviews.count > params.limit
        overviews = Array(overviews.prefix(params.limit))
        let returnPath = request.uri.path + (request.uri.query.map { "?" + $0 } ?? "")
        let rows: [QueueRowsHTML.Row] = overviews.map { o in
            let t = o.thread
            var dueClass = "", dueTitle = "", deadline: String?
            switch o.due {
            case .breached(let since, let clock): dueClass = "breached"; dueTitle = "\(clock) deadline passed at \(since.formatted(.iso8601))"
            case .at(let date, let clock): dueTitle = "\(clock) due at \(date.formatted(.iso8601))"; deadline = date.formatted(.iso8601)
            case .paused: dueTitle = "every clock is paused"
            case .none: dueTitle = "no SLA policy applies"
            }
            return QueueRowsHTML.Row(
                id: t.id ?? 0, severity: t.severity.rawValue, status: t.status.rawValue, due: o.dueText(now: now),
                dueClass: dueClass, dueTitle: dueTitle, deadline: deadline, waiting: Age.short(now.timeIntervalSince(t.openedAt)),
                brand: t.brand ?? "-", channel: t.channel.rawValue, assignee: o.assignee ?? "-", title: t.title,
                why: Self.why(t.summary), isNew: t.status == .new)
        }
        let filtered = params.isFiltered
        let canAct = principal.role.allows(.responder)
        // The rows are written here, escaped as Mustache escapes: through Mustache's dynamic
        // lookups they were half of the queue page's CPU time (docs/dashboard.md, the load check).
        let rowsHTML = QueueRowsHTML.render(rows, canAct: canAct, csrfToken: principal.csrfToken ?? "", returnPath: returnPath)
        return Self.page(.ok, title: "Queue", template: "queue", [
            "rowsHTML": rowsHTML, "hasRows": !rows.isEmpty, "count": rows.count, "one": rows.count == 1, "filtered": filtered, "stamp": stamp,
            "first": params.offset + 1, "last": params.offset + rows.count, "paged": (more || params.offset > 0) && !rows.isEmpty,
            "pageLinks": more || params.offset > 0,
            "next": (more ? "/" + params.query(offset: params.offset + params.limit) : nil) as String? as Any,
            "previous": (params.offset > 0 ? "/" + params.query(offset: max(0, params.offset - params.limit)) : nil) as String? as Any,
            "brand": params.brand, "assignee": params.assignee, "segment": params.segment,
            "canAct": canAct, "csrfToken": principal.csrfToken ?? "",
            "channels": Channel.allCases.map { ["value": $0.rawValue, "selected": $0.rawValue == params.channel] as [String: Any] },
            "severities": Severity.allCases.filter { $0 != .none }.map { ["value": $0.rawValue, "selected": $0.rawValue == params.severity] as [String: Any] },
            "urgencies": UrgencyCategory.allCases.map { ["value": $0.rawValue, "selected": $0.rawValue == params.urgency] as [String: Any] },
            "statuses": ThreadStatus.allCases.filter { $0 != .resolved }.map { ["value": $0.rawValue, "selected": $0.rawValue == params.status] as [String: Any] },
        ], principal: principal)
    }

    /// `GET /queue/events`: server-sent events for the live queue page. An `event: queue` with
    /// the queue's stamp at once and whenever it changes (the page's script then fetches the
    /// page again and swaps its table); a comment line as a keep-alive. The stream ends when
    /// `outcry run` shuts down gracefully, so it never holds a shutdown up.
    func queueEvents(_ request: Request, _ context: WebContext) throws -> Response {
        _ = try Self.signedIn(context)
        let desk = self.desk
        return Response(status: .ok, headers: [.contentType: "text/event-stream; charset=utf-8", .cacheControl: "no-store"],
                        body: ResponseBody { writer in
            await LiveQueueStreams.shared.opened()
            do {
                // A reconnecting browser waits 5 s; the stamp is all the data (digits and dashes).
                try await writer.write(ByteBuffer(string: "retry: 5000\n\n"))
                try await desk.watchQueue { stamp in
                    try await writer.write(ByteBuffer(string: stamp.map { "event: queue\ndata: \($0)\n\n" } ?? ": keep-alive\n\n"))
                }
                await LiveQueueStreams.shared.closed()
            } catch {
                await LiveQueueStreams.shared.closed()
                throw error
            }
            try await writer.finish(nil)
        })
    }

    /// The summary without the severity prefix the Sev column already shows.
    /// Only the first five characters are searched for the colon, and the blanks (tabs and
    /// Unicode space separators, as `CharacterSet.whitespaces`) are trimmed by scalar: with
    /// `firstIndex(of:)` over the whole summary and Foundation's trimming this was a tenth of
    /// a kept queue page's CPU time.
    static func why(_ summary: String) -> String {
        guard summary.hasPrefix("P"), let colon = summary.prefix(5).firstIndex(of: ":") else { return summary }
        let rest = summary.unicodeScalars[summary.index(after: colon)...]
        func blank(_ s: Unicode.Scalar) -> Bool { s == "\t" || s.properties.generalCategory == .spaceSeparator }
        guard let first = rest.firstIndex(where: { !blank($0) }), let last = rest.lastIndex(where: { !blank($0) }) else { return "" }
        return String(String.UnicodeScalarView(rest[first...last]))
    }

    // MARK: thread

    func threadPage(_ request: Request, _ context: WebContext) async throws -> Response {
        let principal = try Self.signedIn(context)
        let id = ThreadID(try context.parameters.require("id", as: Int64.self))
        let page: Desk.ThreadPage
        do { page = try await desk.thread(id) } catch let error as DeskError {
            return Self.message(.notFound, title: "No such thread", error.description, back: "/", principal: principal)
        }
        let now = desk.now
        let o = page.input.overview, t = o.thread
        let canAct = principal.role.allows(.responder)
        let url = o.url.flatMap(Self.webURL), rawURL = o.url.flatMap { Self.webURL($0) == nil ? $0 : nil }
        let clocks: [[String: Any]] = o.clocks.map { c in
            let deadline = c.deadline.map { d in
                c.stoppedAt == nil && c.status == .running ? "in " + Age.short(d.timeIntervalSince(now), precise: true) : d.formatted(.iso8601)
            } ?? "-"
            return ["kind": c.kind.rawValue + (c.episode > 0 ? " #\(c.episode + 1)" : ""), "status": c.status.rawValue,
                    "statusClass": c.status.rawValue == "breached" ? "breached" : "", "target": Age.short(c.target, precise: true),
                    "elapsed": Age.short(c.elapsed, precise: true), "deadlineText": deadline, "note": c.explanation]
        }
        let mentions: [[String: Any]] = page.input.mentions.map { stored in
            let m = stored.mention, s = stored.score
            let mid = m.id ?? 0
            let reasons = s.reasons.map { r in ["words": "\(r.rule): \(r.evidence) (weight \(String(format: "%+.3f", r.weight)))"] }
            return [
                "id": mid, "published": m.publishedAt.map { $0.formatted(.iso8601) } ?? "", "severity": s.severity.rawValue,
                "sentiment": String(format: "%+.2f", s.sentiment.compound), "sentimentLabel": s.sentiment.label.rawValue,
                "complaint": String(format: "%.2f", s.complaint.score), "urgency": s.urgency.map(\.rawValue).joined(separator: ", "),
                "backlog": stored.backlog, "link": page.linkOutcomes[mid].map { $0.replacingOccurrences(of: "_", with: " ") } as Any,
                "title": m.title as Any, "text": m.text, "url": m.url.flatMap(Self.webURL) as Any,
                "unsafeURL": m.url.flatMap { Self.webURL($0) == nil ? $0 : nil } as Any,
                "reasons": reasons, "reasonsCount": reasons.count, "oneReason": reasons.count == 1,
                "labels": [
                    ["field": "complaint", "value": "no", "label": "Not a complaint"],
                    ["field": "complaint", "value": "yes", "label": "Is a complaint"],
                    ["field": "sentiment", "value": "negative", "label": "Sentiment is negative"],
                    ["field": "sentiment", "value": "neutral", "label": "Sentiment is neutral"],
                    ["field": "sentiment", "value": "positive", "label": "Sentiment is positive"],
                ],
            ]
        }
        var events: [[String: Any]] = [["at": t.openedAt.formatted(.iso8601), "kind": "opened", "actor": "outcry", "from": "-",
                                        "to": ThreadStatus.new.rawValue, "note": ""]]
        for e in page.input.events {
            var note = e.note ?? ""
            if let name = e.assigneeName { note = (e.assigneeKind == "team" ? "team:" : "") + name + (note.isEmpty ? "" : "; " + note) }
            events.append(["at": e.at.formatted(.iso8601), "kind": e.kind, "actor": e.actor, "from": e.from ?? "-", "to": e.to, "note": note])
        }
        let actions: [[String: Any]] = [
            ("ack", "Acknowledge", false, false), ("assign", "Assign", true, false), ("hold", "Put on hold", false, false),
            ("respond", "Record a response", false, false), ("resolve", "Resolve", false, false), ("reopen", "Reopen", false, false),
            ("note", "Add a note", false, true),
        ].map { action, label, assignee, note in
            ["action": action, "label": label, "needsAssignee": assignee, "needsNote": note,
             "notePlaceholder": note ? "the note" : "note (optional)"]
        }
        let contact: [String: Any]? = page.input.contact.map {
            ["name": $0.name, "id": $0.contactID, "confidence": String(format: "%.2f", $0.confidence), "reason": $0.reason]
        }
        return Self.page(.ok, title: "Thread \(id)", template: "thread", [
            "id": id, "title": t.title, "severity": t.severity.rawValue, "status": t.status.rawValue, "brand": t.brand ?? "no brand",
            "source": t.sourceName, "channel": t.channel.rawValue, "author": t.authorName ?? t.authorHandle ?? "unknown",
            "opened": t.openedAt.formatted(.iso8601), "waiting": Age.short(now.timeIntervalSince(t.openedAt)),
            "mentionCount": t.mentionCount, "oneMention": t.mentionCount == 1, "assignee": o.assignee ?? "nobody", "why": t.summary,
            "url": url as Any, "unsafeURL": rawURL as Any, "contact": contact as Any, "optedOut": page.optedOut && contact == nil,
            "noContact": contact == nil && !page.optedOut, "segment": t.segment as Any, "policy": o.policyName as Any, "clocks": clocks, "hasClocks": !clocks.isEmpty,
            "canAct": canAct, "csrfToken": principal.csrfToken ?? "", "actions": actions, "mentions": mentions,
            "mentionsCount": mentions.count, "events": events, "urgencyChoices": ["none"] + UrgencyCategory.allCases.map(\.rawValue),
        ], principal: principal)
    }

    func threadAction(_ request: Request, _ context: WebContext) async throws -> Response {
        let principal = try Self.signedIn(context)
        let id = ThreadID(try context.parameters.require("id", as: Int64.self))
        let name = try context.parameters.require("action")
        let form = try await Self.form(request)
        guard Self.same(form["csrf"], principal.csrfToken ?? "") else { return Self.csrfRefused(principal) }
        guard principal.role.allows(.responder) else { return Self.roleRefused(principal, needed: .responder) }
        guard let action = Desk.Action(rawValue: name) ?? (name == "acknowledge" ? .acknowledge : nil) else {
            return Self.message(.notFound, title: "Unknown action", "There is no action '\(name)' on a thread.", back: "/threads/\(id)", principal: principal)
        }
        do {
            try await desk.act(id, action, by: ActorName.make(.web, principal.name), note: form["note"], assignee: form["to"], team: form["team"])
        } catch let error as DeskError {
            return Self.message(Self.status(error), title: "Not done", error.description, back: "/threads/\(id)", principal: principal)
        }
        return Self.redirect(Self.localPath(form["return"]) ?? "/threads/\(id)")
    }

    func labelAction(_ request: Request, _ context: WebContext) async throws -> Response {
        let principal = try Self.signedIn(context)
        let id = MentionID(try context.parameters.require("id", as: Int64.self))
        let form = try await Self.form(request)
        guard Self.same(form["csrf"], principal.csrfToken ?? "") else { return Self.csrfRefused(principal) }
        guard principal.role.allows(.responder) else { return Self.roleRefused(principal, needed: .responder) }
        var sentiment: SentimentLabel?, complaint: Bool?, urgency: [UrgencyCategory]?
        if let s = form["sentiment"] {
            guard let v = SentimentLabel(rawValue: s) else { return Self.message(.badRequest, title: "Not a label", "sentiment must be negative, neutral or positive", back: "/", principal: principal) }
            sentiment = v
        }
        if let c = form["complaint"] {
            guard c == "yes" || c == "no" else { return Self.message(.badRequest, title: "Not a label", "complaint must be yes or no", back: "/", principal: principal) }
            complaint = c == "yes"
        }
        if let u = form["urgency"] {
            if u == "none" { urgency = [] } else {
                guard let c = UrgencyCategory(rawValue: u) else { return Self.message(.badRequest, title: "Not a label", "unknown urgency category", back: "/", principal: principal) }
                urgency = [c]
            }
        }
        do {
            try await desk.label(mentionID: id, by: ActorName.make(.web, principal.name), sentiment: sentiment, complaint: complaint, urgency: urgency)
        } catch let error as DeskError {
            return Self.message(Self.status(error), title: "Not labelled", error.description, back: "/", principal: principal)
        }
        let thread = try await desk.threadID(ofMention: id)
        return Self.redirect(thread.map { "/threads/\($0)#m\(id)" } ?? "/")
    }

    // MARK: sources

    func sourcesPage(_ request: Request, _ context: WebContext) async throws -> Response {
        let principal = try Self.signedIn(context)
        let (states, mailboxes) = try await desk.sources()
        let now = desk.now
        let rows: [[String: Any]] = states.map { s in
            let state = SourcesView.state(s)
            var quarantine: [String] = []
            if s.quarantinedContent != nil { quarantine.append("content quarantined (its parse crashed)") }
            if let q = mailboxes[s.sourceName]?.quarantined, q > 0 { quarantine.append("\(q) message\(q == 1 ? "" : "s")") }
            return [
                "name": s.sourceName, "state": state, "stateClass": state == "failing" ? "breached" : "",
                "lastSuccess": s.lastSuccessAt.map { Age.short(now.timeIntervalSince($0)) + " ago" } ?? "never",
                "errors": s.consecutiveErrors,
                "nextPoll": s.disabled ? "-" : s.nextPollAt.map { $0 <= now ? "due now" : "in " + Age.short($0.timeIntervalSince(now)) } ?? "due now",
                "quarantine": quarantine.isEmpty ? "-" : quarantine.joined(separator: "; "),
                "lastError": SecretMasking.maskSecrets(inText: s.lastError ?? ""),
            ]
        }
        return Self.page(.ok, title: "Sources", template: "sources", ["rows": rows, "count": rows.count], principal: principal)
    }

    // MARK: helpers

    /// The principal the session middleware found (it redirects to the login otherwise).
    static func signedIn(_ context: WebContext) throws -> Principal {
        guard let p = context.principal else { throw HTTPError(.unauthorized) }
        return p
    }

    static func status(_ error: DeskError) -> HTTPResponse.Status {
        switch error.kind {
        case .notFound: .notFound
        case .conflict: .conflict
        case .badRequest: .badRequest
        }
    }

    static func page(_ status: HTTPResponse.Status, title: String, template: String, _ values: [String: Any], principal: Principal?) -> Response {
        let body = Templates.library.render(values.compactMapValues(tidy), withTemplate: template) ?? ""
        var layout: [String: Any] = ["title": title, "body": body]
        if let principal {
            layout["principal"] = ["name": principal.name, "role": principal.role.rawValue, "csrfToken": principal.csrfToken ?? "",
                                   "isAdmin": principal.role.allows(.admin)] as [String: Any]
        }
        let html = Templates.library.render(layout, withTemplate: "layout") ?? ""
        return Response(status: status, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
                        body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    /// A value without its optional wrapping, nil for a missing one (recursively in dictionaries
    /// and lists of them): Mustache would render a boxed `nil` as a present value.
    static func tidy(_ value: Any) -> Any? {
        if let optional = value as? any OptionalValue { return optional.wrappedValue.flatMap(tidy) }
        if let dictionary = value as? [String: Any] { return dictionary.compactMapValues(tidy) }
        if let list = value as? [[String: Any]] { return list.map { $0.compactMapValues(tidy) } }
        return value
    }

    static func message(_ status: HTTPResponse.Status, title: String, _ message: String, back: String?, principal: Principal?) -> Response {
        page(status, title: title, template: "message", ["title": title, "message": message, "back": back as Any], principal: principal)
    }

    static func csrfRefused(_ principal: Principal) -> Response {
        message(.forbidden, title: "Form expired", "The form did not carry this session's token (an old page, or a form from another site): nothing was done. Reload the page and try again.",
                back: "/", principal: principal)
    }

    static func roleRefused(_ principal: Principal, needed: Role) -> Response {
        message(.forbidden, title: "Not allowed", "\(principal.name) is a \(principal.role.rawValue); this needs a \(needed.rawValue) or more.",
                back: "/", principal: principal)
    }

    static func redirect(_ location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location, .cacheControl: "no-store"])
    }

    /// A path on this site ("/threads/3?x=1"), never another site ("//evil", "https://…", "/\\evil").
    static func localPath(_ text: String?) -> String? {
        guard let text, text.hasPrefix("/"), !text.hasPrefix("//"), !text.hasPrefix("/\\"),
              // Browsers drop tabs and newlines inside a URL ("/\t/evil.example" is "//evil.example").
              !text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control || $0 == "\\" }) else { return nil }
        return text
    }

    /// The URL when it is an http(s) link, which a page may point at; nil for `javascript:`, `data:` and the rest.
    static func webURL(_ text: String) -> String? {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https", url.host != nil else { return nil }
        return text
    }

    /// Constant-time comparison of a submitted token with the expected one.
    static func same(_ given: String?, _ expected: String) -> Bool {
        guard let given, !expected.isEmpty else { return false }
        return BearerTokenMiddleware.equal(Array(given.utf8), Array(expected.utf8))
    }

    /// An `application/x-www-form-urlencoded` body (at most 64 KiB) as name → value (the last of a repeated name).
    static func form(_ request: Request) async throws -> [String: String] {
        let buffer = try await request.body.collect(upTo: 64 * 1024)
        let text = String(buffer: buffer)
        var fields: [String: String] = [:]
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ s: Substring) -> String { s.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? "" }
            fields[decode(parts[0])] = parts.count > 1 ? decode(parts[1]) : ""
        }
        return fields
    }
}

protocol OptionalValue {
    var wrappedValue: Any? { get }
}

extension Optional: OptionalValue {
    var wrappedValue: Any? { self.map { $0 as Any } }
}

extension HTTPField.Name {
    static let xForwardedProto = Self("X-Forwarded-Proto")!
}

/// Finds the session behind the cookie. A page asked without one redirects to the login
/// (which comes back to it); nothing of the page is computed.
struct SessionMiddleware: RouterMiddleware {
    let accounts: UserAccounts
    let desk: Desk

    func handle(_ request: Request, context: WebContext, next: (Request, WebContext) async throws -> Response) async throws -> Response {
        var context = context
        if let value = request.cookies[DashboardRoutes.sessionCookie]?.value, !value.isEmpty {
            context.principal = try await accounts.principal(sessionCookie: value, now: desk.now)
        }
        guard context.principal != nil else {
            let asked = request.method == .get ? request.uri.path + (request.uri.query.map { "?" + $0 } ?? "") : "/"
            let target = "/login?next=" + (asked.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "/-_."))) ?? "/")
            return DashboardRoutes.redirect(target)
        }
        return try await next(request, context)
    }
}

/// How many live queue streams are open (for tests and the shutdown's log).
actor LiveQueueStreams {
    static let shared = LiveQueueStreams()
    private(set) var count = 0

    func opened() { count += 1 }
    func closed() { count -= 1 }
}
