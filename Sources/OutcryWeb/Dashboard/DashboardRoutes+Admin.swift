import Foundation
import Hummingbird
import OutcryApp
import OutcryModel

/// The audit log and the crises pages. Reading crises needs a session; declaring,
/// confirming and ending them, and reading the audit log, need an admin. Every form carries the
/// session's CSRF token; the role is checked on the server whatever the page showed.
extension DashboardRoutes {
    static let auditPageSize = 200

    func auditPage(_ request: Request, _ context: WebContext) async throws -> Response {
        let principal = try Self.signedIn(context)
        guard principal.role.allows(.admin) else { return Self.roleRefused(principal, needed: .admin) }
        let offsetText = request.uri.queryParameters["offset"].map(String.init) ?? "0"
        guard let offset = Int(offsetText), offset >= 0 else {
            return Self.message(.badRequest, title: "Not a page", "offset must be a whole number, 0 or more", back: "/audit", principal: principal)
        }
        var entries = try await desk.activity(offset: offset, limit: Self.auditPageSize + 1)
        let more = entries.count > Self.auditPageSize
        entries = Array(entries.prefix(Self.auditPageSize))
        let rows: [[String: Any]] = entries.map { e in
            let threadID = e.subject.hasPrefix("thread ") ? ThreadID(String(e.subject.dropFirst(7))) : nil
            return ["at": e.at.formatted(.iso8601), "actor": e.actor, "action": e.action, "subject": e.subject.isEmpty ? "-" : e.subject,
                    "threadID": threadID as Any, "detail": e.detail]
        }
        return Self.page(.ok, title: "Audit log", template: "audit", [
            "rows": rows, "count": rows.count, "one": rows.count == 1, "paged": more || offset > 0,
            "first": offset + 1, "last": offset + rows.count,
            "next": (more ? "/audit?offset=\(offset + Self.auditPageSize)" : nil) as String? as Any,
            "previous": (offset > 0 ? "/audit" + (offset > Self.auditPageSize ? "?offset=\(offset - Self.auditPageSize)" : "") : nil) as String? as Any,
        ], principal: principal)
    }

    func crisesPage(_ request: Request, _ context: WebContext) async throws -> Response {
        let principal = try Self.signedIn(context)
        let crises = try await desk.crises()
        let canAct = principal.role.allows(.admin)
        let rows: [[String: Any]] = crises.map { c in
            ["id": c.id, "brand": c.brand, "status": c.open ? "open" : "ended", "statusClass": c.open ? "breached" : "",
             "origin": c.origin, "started": c.startedAt.formatted(.iso8601),
             "ended": c.endedAt.map { $0.formatted(.iso8601) + (c.endedBy.map { " by \($0)" } ?? "") } ?? "-",
             "folded": c.folded, "summary": c.summary, "open": c.open, "detected": c.open && c.detected,
             "canAct": canAct, "csrfToken": principal.csrfToken ?? ""]
        }
        return Self.page(.ok, title: "Crises", template: "crises", [
            "rows": rows, "openCount": crises.filter(\.open).count, "canAct": canAct, "csrfToken": principal.csrfToken ?? "",
            "brands": desk.brands, "hasBrands": !desk.brands.isEmpty,
        ], principal: principal)
    }

    func crisisAction(_ request: Request, _ context: WebContext) async throws -> Response {
        let principal = try Self.signedIn(context)
        let action = try context.parameters.require("action")
        let form = try await Self.form(request)
        guard Self.same(form["csrf"], principal.csrfToken ?? "") else { return Self.csrfRefused(principal) }
        guard principal.role.allows(.admin) else { return Self.roleRefused(principal, needed: .admin) }
        let by = ActorName.make(.web, principal.name)
        do {
            switch action {
            case "declare": try await desk.declareCrisis(brand: form["brand"] ?? "", by: by, note: form["note"])
            case "end": try await desk.endCrisis(brand: form["brand"] ?? "", by: by, note: form["note"])
            default:
                return Self.message(.notFound, title: "Unknown action", "There is no action '\(action)' on a crisis.", back: "/crises", principal: principal)
            }
        } catch let error as DeskError {
            return Self.message(Self.status(error), title: "Not done", error.description, back: "/crises", principal: principal)
        }
        return Self.redirect("/crises")
    }
}

/// The contacts pages (admin only): search, a person's card and timeline, the privacy export
/// (a POST with the CSRF token, answered with the JSON as a download, recorded in the audit) and
/// the erasure (the word ERASE typed, recorded in the audit).
extension DashboardRoutes {
    func contactsPage(_ request: Request, _ context: WebContext) async throws -> Response {
        let principal = try Self.signedIn(context)
        guard principal.role.allows(.admin) else { return Self.roleRefused(principal, needed: .admin) }
        let q = (request.uri.queryParameters["q"].map(String.init) ?? "").trimmingCharacters(in: .whitespaces)
        let found = q.isEmpty ? [] : try await desk.searchContacts(q)
        let rows: [[String: Any]] = found.map { c in
            ["id": c.id ?? 0, "name": c.name, "company": c.company ?? "-", "segment": c.tier ?? c.segment ?? "-",
             "externalID": c.externalID, "optedOut": c.optedOut]
        }
        return Self.page(.ok, title: "Contacts", template: "contacts", ["q": q, "searched": !q.isEmpty, "rows": rows], principal: principal)
    }

    func contactPage(_ request: Request, _ context: WebContext) async throws -> Response {
        let principal = try Self.signedIn(context)
        guard principal.role.allows(.admin) else { return Self.roleRefused(principal, needed: .admin) }
        let id = ContactID(try context.parameters.require("id", as: Int64.self))
        let found: (contact: Contact, timeline: [ContactTimelineEntryView])
        do {
            let (contact, timeline) = try await desk.contact(id)
            found = (contact, timeline.map(ContactTimelineEntryView.init))
        } catch let error as DeskError {
            return Self.message(Self.status(error), title: "No such contact", error.description, back: "/contacts", principal: principal)
        }
        let c = found.contact
        let rows: [[String: Any]] = found.timeline.map { e in
            ["at": e.at, "source": e.source, "severity": e.severity, "threadID": e.threadID as Any, "threadTitle": e.threadTitle,
             "text": e.text, "confidence": e.confidence, "reason": e.reason]
        }
        return Self.page(.ok, title: "Contact \(id)", template: "contact", [
            "id": id, "name": c.name, "externalID": c.externalID, "company": c.company ?? "-", "segment": c.tier ?? c.segment ?? "-",
            "owner": c.owner ?? "-", "optedOut": c.optedOut, "emails": c.emails.isEmpty ? "-" : c.emails.joined(separator: ", "),
            "phones": c.phones.isEmpty ? "-" : c.phones.joined(separator: ", "),
            "handles": c.handles.isEmpty ? "-" : c.handles.map { "\($0.network.rawValue) \($0.handle)" }.joined(separator: ", "),
            "csrfToken": principal.csrfToken ?? "", "rows": rows, "count": rows.count, "one": rows.count == 1,
        ], principal: principal)
    }

    func contactAction(_ request: Request, _ context: WebContext) async throws -> Response {
        let principal = try Self.signedIn(context)
        let id = ContactID(try context.parameters.require("id", as: Int64.self))
        let action = try context.parameters.require("action")
        let form = try await Self.form(request)
        guard Self.same(form["csrf"], principal.csrfToken ?? "") else { return Self.csrfRefused(principal) }
        guard principal.role.allows(.admin) else { return Self.roleRefused(principal, needed: .admin) }
        let by = ActorName.make(.web, principal.name)
        do {
            switch action {
            case "export":
                let json = try await desk.personalDataExport(id, by: by).json
                return Response(status: .ok, headers: [
                    .contentType: "application/json; charset=utf-8", .cacheControl: "no-store",
                    .contentDisposition: "attachment; filename=\"contact-\(id).json\"",
                ], body: .init(byteBuffer: ByteBuffer(bytes: json)))
            case "erase":
                guard form["confirm"] == "ERASE" else {
                    return Self.message(.badRequest, title: "Not erased", "Type ERASE in the box to erase this person: nothing was done.",
                                        back: "/contacts/\(id)", principal: principal)
                }
                let result = try await desk.erase(id, by: by)
                return Self.message(.ok, title: "Erased",
                                    "Contact \(id) erased: \(result.mentionsAnonymised) mentions and \(result.threadsAnonymised) threads anonymised, \(result.identifiersSuppressed) identifiers suppressed, \(result.labelsDeleted) labels deleted.",
                                    back: "/contacts", principal: principal)
            default:
                return Self.message(.notFound, title: "Unknown action", "There is no action '\(action)' on a contact.", back: "/contacts/\(id)", principal: principal)
            }
        } catch let error as DeskError {
            return Self.message(Self.status(error), title: "Not done", error.description, back: "/contacts", principal: principal)
        }
    }
}

/// Likely duplicate contacts and their merge (admin only), as `outcry contacts duplicates` and
/// `outcry contacts merge` (the same ``Desk`` use cases); a merge is recorded in the audit log.
extension DashboardRoutes {
    func duplicatesPage(_ request: Request, _ context: WebContext) async throws -> Response {
        let principal = try Self.signedIn(context)
        guard principal.role.allows(.admin) else { return Self.roleRefused(principal, needed: .admin) }
        let text = request.uri.queryParameters["minimum"].map(String.init) ?? "0.75"
        guard let minimum = Double(text), (0...1).contains(minimum) else {
            return Self.message(.badRequest, title: "Not a score", "minimum must be a number between 0 and 1", back: "/contacts/duplicates", principal: principal)
        }
        let pairs = try await desk.contactDuplicates(minimum: minimum).pairs.prefix(200)
        let rows: [[String: Any]] = pairs.map { p in
            ["score": String(format: "%.2f", p.score), "reasons": p.reasons.joined(separator: ", "),
             "firstID": p.first.id ?? 0, "firstName": p.first.name, "firstExternalID": p.first.externalID,
             "secondID": p.second.id ?? 0, "secondName": p.second.name, "secondExternalID": p.second.externalID,
             "csrfToken": principal.csrfToken ?? ""]
        }
        return Self.page(.ok, title: "Likely duplicates", template: "duplicates", [
            "rows": rows, "count": rows.count, "one": rows.count == 1, "minimum": String(format: "%.2f", minimum),
        ], principal: principal)
    }

    func mergeContacts(_ request: Request, _ context: WebContext) async throws -> Response {
        let principal = try Self.signedIn(context)
        let form = try await Self.form(request)
        guard Self.same(form["csrf"], principal.csrfToken ?? "") else { return Self.csrfRefused(principal) }
        guard principal.role.allows(.admin) else { return Self.roleRefused(principal, needed: .admin) }
        guard let keep = form["keep"].flatMap({ ContactID($0) }), let remove = form["remove"].flatMap({ ContactID($0) }) else {
            return Self.message(.badRequest, title: "Not merged", "Say which contact to keep and which to merge into it.", back: "/contacts/duplicates", principal: principal)
        }
        do {
            let audit = try await desk.mergeContacts(keep: keep, remove: remove, by: ActorName.make(.web, principal.name))
            return Self.message(.ok, title: "Merged", audit.joined(separator: "; ") + ".", back: "/contacts/\(keep)", principal: principal)
        } catch let error as DeskError {
            return Self.message(Self.status(error), title: "Not merged", error.description, back: "/contacts/duplicates", principal: principal)
        }
    }
}

/// One timeline row in words (OutcryWeb reads the store's types only through this).
struct ContactTimelineEntryView: Encodable {
    var at: String, source: String, severity: String, threadID: ThreadID?, threadTitle: String, text: String, confidence: String, reason: String

    init(_ e: ContactTimelineItem) {
        at = e.at.formatted(.iso8601)
        source = e.sourceName
        severity = e.severity.rawValue
        threadID = e.thread?.id
        threadTitle = e.threadTitle ?? "thread \(e.thread.map { String($0.id) } ?? "-")"
        text = e.text
        confidence = e.linkConfidence.map { String(format: "%.2f", $0) } ?? ""
        reason = e.linkReason
    }
}
