import Foundation
import Hummingbird
import NIOCore
import NIOFoundationCompat
import OutcryApp
import OutcryModel

/// The JSON API of what the admin pages do: crises (declare, confirm, end), contacts
/// (search, show, duplicates, merge, privacy export and erasure) and the reports' aggregates.
/// Crises and contacts need an admin; the reports a viewer. Every action goes through the same
/// ``Desk`` use case as its page and is recorded in the audit log under the token's person (the
/// configured `api_token` says who in the body: `{"by": "name"}`).
///
/// - `POST /api/crises/{declare|confirm|end}` `{"brand", "note"?, "by"?}`
/// - `GET /api/contacts?q=TEXT`, `GET /api/contacts/{id}`, `GET /api/contacts/duplicates?minimum=0.75`
/// - `POST /api/contacts/merge` `{"keep": ID, "remove": ID, "by"?}`
/// - `POST /api/contacts/{id}/export`, `POST /api/contacts/{id}/erase` `{"confirm": "ERASE", "by"?}`
/// - `GET /api/reports?days=30`
extension WebServer {
    func addAdminAPI(to api: RouterGroup<WebContext>, desk: Desk) {
        api.post("/crises/{action}") { request, context -> Response in
            if let refused = try Self.refuse(context, unless: .admin) { return refused }
            let action = try context.parameters.require("action")
            guard ["declare", "confirm", "end"].contains(action) else {
                return try Self.error(.notFound, "unknown action '\(action)': use declare, confirm or end")
            }
            let body: AdminBody
            switch try await Self.decodeBody(request, AdminBody.self) {
            case .success(let b): body = b
            case .failure(let refused): return refused.response
            }
            guard let brand = body.brand?.trimmingCharacters(in: .whitespaces), !brand.isEmpty else {
                return try Self.error(.badRequest, "say which brand: {\"brand\": \"name\"} in the JSON body")
            }
            let by: String
            switch Self.actor(context, body.by) {
            case .success(let name): by = name
            case .failure(let refused): return refused.response
            }
            return try await Self.deskAnswer {
                if action == "end" {
                    return try Self.json(CrisisView(try await desk.endCrisis(brand: brand, by: by, note: body.note)))
                }
                // Confirming a detected crisis is declaring it (its alerts fold into the crisis alert).
                let id = try await desk.declareCrisis(brand: brand, by: by, note: body.note ?? (action == "confirm" ? "confirmed" : nil))
                return try Self.json(["id": id], status: .created)
            }
        }
        api.get("/contacts") { request, context -> Response in
            if let refused = try Self.refuse(context, unless: .admin) { return refused }
            let q = (request.uri.queryParameters["q"].map(String.init) ?? "").trimmingCharacters(in: .whitespaces)
            guard !q.isEmpty else { return try Self.error(.badRequest, "say what to search for: ?q=TEXT (a part of a name, company or CRM id, or an exact email or id)") }
            return try Self.json(["contacts": try await desk.searchContacts(q).map(ContactJSON.init)])
        }
        api.get("/contacts/duplicates") { request, context -> Response in
            if let refused = try Self.refuse(context, unless: .admin) { return refused }
            let text = request.uri.queryParameters["minimum"].map(String.init) ?? "0.75"
            guard let minimum = Double(text), (0...1).contains(minimum) else {
                return try Self.error(.badRequest, "minimum must be a number between 0 and 1")
            }
            let pairs = try await desk.contactDuplicates(minimum: minimum).pairs.prefix(200)
            return try Self.json(["pairs": pairs.map(DuplicateJSON.init)])
        }
        api.post("/contacts/merge") { request, context -> Response in
            if let refused = try Self.refuse(context, unless: .admin) { return refused }
            let body: AdminBody
            switch try await Self.decodeBody(request, AdminBody.self) {
            case .success(let b): body = b
            case .failure(let refused): return refused.response
            }
            guard let keep = body.keep, let remove = body.remove else {
                return try Self.error(.badRequest, "say which contacts: {\"keep\": ID, \"remove\": ID} in the JSON body")
            }
            let by: String
            switch Self.actor(context, body.by) {
            case .success(let name): by = name
            case .failure(let refused): return refused.response
            }
            return try await Self.deskAnswer {
                try Self.json(MergeJSON(kept: keep, removed: remove, audit: try await desk.mergeContacts(keep: keep, remove: remove, by: by)))
            }
        }
        api.get("/contacts/{id}") { _, context -> Response in
            if let refused = try Self.refuse(context, unless: .admin) { return refused }
            let id = ContactID(try context.parameters.require("id", as: Int64.self))
            return try await Self.deskAnswer {
                let (contact, timeline) = try await desk.contact(id)
                return try Self.json(ContactDetailJSON(contact: ContactJSON(contact), timeline: timeline.map(ContactTimelineEntryView.init)))
            }
        }
        api.post("/contacts/{id}/{action}") { request, context -> Response in
            if let refused = try Self.refuse(context, unless: .admin) { return refused }
            let id = ContactID(try context.parameters.require("id", as: Int64.self))
            let action = try context.parameters.require("action")
            guard ["export", "erase"].contains(action) else {
                return try Self.error(.notFound, "unknown action '\(action)': use export or erase")
            }
            let body: AdminBody
            switch try await Self.decodeBody(request, AdminBody.self) {
            case .success(let b): body = b
            case .failure(let refused): return refused.response
            }
            let by: String
            switch Self.actor(context, body.by) {
            case .success(let name): by = name
            case .failure(let refused): return refused.response
            }
            return try await Self.deskAnswer {
                if action == "export" {
                    let data = try await desk.personalDataExport(id, by: by).json
                    return Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"],
                                    body: .init(byteBuffer: ByteBuffer(data: data)))
                }
                guard body.confirm == "ERASE" else {
                    return try Self.error(.badRequest, "erasing needs {\"confirm\": \"ERASE\"} in the JSON body: nothing was done")
                }
                return try Self.json(ErasureJSON(try await desk.erase(id, by: by)))
            }
        }
        api.get("/reports") { request, context -> Response in
            if let refused = try Self.refuse(context, unless: .viewer) { return refused }
            let text = request.uri.queryParameters["days"].map(String.init) ?? "30"
            guard let days = Int(text), (1...366).contains(days) else {
                return try Self.error(.badRequest, "days must be a whole number from 1 to 366")
            }
            return try Self.json(ReportsJSON(days: days, try await desk.reports(days: days)))
        }
    }

    /// The JSON body of the admin actions; every field is optional, each action says what it needs.
    struct AdminBody: Decodable, Sendable {
        var by: String?
        var brand: String?
        var note: String?
        var keep: ContactID?
        var remove: ContactID?
        var confirm: String?
    }

    /// The body decoded (an empty body is every field absent), or a 400 saying what is expected.
    static func decodeBody<T: Decodable>(_ request: Request, _ type: T.Type) async throws -> Result<T, RefusedResponse> {
        let bytes = try await request.body.collect(upTo: 64 * 1024)
        do {
            return .success(try JSONDecoder().decode(T.self, from: bytes.readableBytes > 0 ? Data(buffer: bytes) : Data("{}".utf8)))
        } catch {
            return .failure(RefusedResponse(try Self.error(.badRequest, "the body is not the expected JSON object (see /openapi.json)")))
        }
    }

    /// Who acts: a person's token acts as the person; the configured token names someone in `by`.
    static func actor(_ context: WebContext, _ by: String?) -> Result<String, RefusedResponse> {
        if let p = context.principal, p.name != configuredTokenName { return .success(ActorName.make(.api, p.name)) }
        guard let by = by?.trimmingCharacters(in: .whitespaces), !by.isEmpty else {
            return .failure(RefusedResponse((try? Self.error(.badRequest, "say who acts: {\"by\": \"name\"} in the JSON body")) ?? Response(status: .badRequest)))
        }
        return .success(ActorName.make(.api, by))
    }

    /// A ``DeskError`` as its status and message.
    static func deskAnswer(_ body: () async throws -> Response) async throws -> Response {
        do {
            return try await body()
        } catch let error as DeskError {
            return try Self.error(DashboardRoutes.status(error), error.description)
        }
    }
}

/// A refusal carried through a `Result` (a `Response` is not an `Error`).
struct RefusedResponse: Error, @unchecked Sendable {
    let response: Response
    init(_ response: Response) { self.response = response }
}

struct MergeJSON: Encodable {
    var kept: ContactID, removed: ContactID, audit: [String]
}

struct ContactJSON: Encodable {
    var id: ContactID, externalId: String, name: String, company: String?, segment: String?, tier: String?, owner: String?
    var optedOut: Bool, emails: [String], phones: [String], handles: [String], mergedExternalIds: [String]

    init(_ c: Contact) {
        id = c.id ?? 0; externalId = c.externalID; name = c.name; company = c.company; segment = c.segment; tier = c.tier
        owner = c.owner; optedOut = c.optedOut; emails = c.emails; phones = c.phones
        handles = c.handles.map { "\($0.network.rawValue) \($0.handle)" }; mergedExternalIds = c.mergedExternalIDs
    }
}

struct ContactDetailJSON: Encodable {
    var contact: ContactJSON
    var timeline: [ContactTimelineEntryView]
}

struct DuplicateJSON: Encodable {
    var score: Double, reasons: [String], first: ContactJSON, second: ContactJSON

    init(_ d: ContactDuplicate) {
        score = (d.score * 1000).rounded() / 1000; reasons = d.reasons; first = ContactJSON(d.first); second = ContactJSON(d.second)
    }
}

struct ErasureJSON: Encodable {
    var contactId: ContactID, mentionsAnonymised: Int, threadsAnonymised: Int, identifiersSuppressed: Int, labelsDeleted: Int

    init(_ r: ErasureSummary) {
        contactId = r.contactID; mentionsAnonymised = r.mentionsAnonymised; threadsAnonymised = r.threadsAnonymised
        identifiersSuppressed = r.identifiersSuppressed; labelsDeleted = r.labelsDeleted
    }
}

/// The reports page's aggregates as JSON (the same figures as its tables and CSV files).
struct ReportsJSON: Encodable {
    struct ResponseTime: Encodable { var bucket: String; var threads: Int }
    struct Attainment: Encodable { var day: String; var threads: Int; var withinTarget: Int }
    struct Volume: Encodable { var brand: String; var day: String; var mentions: Int; var meanSentiment: Double? }
    struct Crisis: Encodable { var brand: String; var day: String; var origin: String }
    struct Fairness: Encodable {
        var segment: String; var threads: Int; var answered: Int; var meanResponseSeconds: Double?; var withinTarget: Int
    }
    var days: Int
    var responseTimes: [ResponseTime]
    var attainment: [Attainment]
    var volume: [Volume]
    var crises: [Crisis]
    var fairness: [Fairness]

    init(days: Int, _ r: ReportFigures) {
        self.days = days
        responseTimes = r.responseTimes.map { ResponseTime(bucket: $0.bucket, threads: $0.threads) }
        attainment = r.attainment.map { Attainment(day: $0.day, threads: $0.threads, withinTarget: $0.withinTarget) }
        volume = r.volume.map { Volume(brand: $0.brand, day: $0.day, mentions: $0.mentions, meanSentiment: $0.meanSentiment) }
        crises = r.crises.map { Crisis(brand: $0.brand, day: $0.day, origin: $0.origin) }
        fairness = r.fairness.map {
            Fairness(segment: $0.segment, threads: $0.threads, answered: $0.answered, meanResponseSeconds: $0.meanResponseSeconds,
                     withinTarget: $0.withinTarget)
        }
    }
}
