import Foundation
import Hummingbird
import OutcryApp
import OutcryModel

/// The audit log and the crises pages (issue 17). Reading crises needs a session; declaring,
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
            let threadID = e.subject.hasPrefix("thread ") ? Int64(e.subject.dropFirst(7)) : nil
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
            ["id": c.id ?? 0, "brand": c.brand, "status": c.open ? "open" : "ended", "statusClass": c.open ? "breached" : "",
             "origin": c.origin.rawValue, "started": c.startedAt.formatted(.iso8601),
             "ended": c.endedAt.map { $0.formatted(.iso8601) + (c.endedBy.map { " by \($0)" } ?? "") } ?? "-",
             "folded": c.folded, "summary": c.summary, "open": c.open, "detected": c.open && c.origin == .detected,
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
