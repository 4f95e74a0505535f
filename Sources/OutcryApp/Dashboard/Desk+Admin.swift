import Foundation
import OutcryContacts
import OutcryModel
import OutcryPipeline
import OutcryStore

extension Desk {
    /// The audit log, newest first: people's actions on threads, crises, privacy exports and
    /// erasures, merges, imports, users, labels, downloads (``Store/activity(offset:limit:)``).
    public func activity(offset: Int, limit: Int) async throws -> [ActivityEntry] {
        try await store.activity(offset: offset, limit: limit)
    }

    /// Crises, open ones first, then the most recent, at most `limit` (`outcry crisis list`,
    /// the crises page, `GET /api/crises`).
    public func crises(limit: Int = 200) async throws -> [CrisisSummary] {
        try await store.crises(limit: limit).compactMap(CrisisSummary.init)
    }

    /// Declares a crisis for a brand, or confirms a detected one (its alerts fold into the
    /// crisis alert), as `outcry crisis declare` does. With known brands, another is refused.
    @discardableResult
    public func declareCrisis(brand: String, by actor: String, note: String?) async throws -> CrisisID {
        let brand = brand.trimmingCharacters(in: .whitespaces)
        guard !brand.isEmpty else { throw DeskError(.badRequest, "a crisis needs a brand") }
        if !brands.isEmpty, !brands.contains(brand) {
            throw DeskError(.badRequest, "no brand '\(brand)' in the configuration (brands: \(brands.joined(separator: ", ")))")
        }
        let note = note.flatMap { $0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? nil : $0 }
        return try await CrisisMonitor.declare(store: store, alerting: settings, brand: brand, by: actor, note: note, now: now)
    }

    /// Ends a brand's open crisis, as `outcry crisis end` does; none open is a conflict.
    @discardableResult
    public func endCrisis(brand: String, by actor: String, note: String?) async throws -> CrisisSummary {
        let note = note.flatMap { $0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? nil : $0 }
        do {
            let record = try await store.endCrisis(brand: brand, by: actor, note: note, now: now)
            guard let summary = CrisisSummary(record) else { throw DeskError(.notFound, "the crisis of \(brand) has no id") }
            return summary
        } catch let error as CrisisError {
            throw DeskError(.conflict, error.description)
        }
    }
}

extension Desk {
    /// Contacts matching a search (name, company, external id; an exact id or email first).
    public func searchContacts(_ text: String) async throws -> [Contact] {
        try await store.searchContacts(text, limit: 50)
    }

    /// One contact and their linked mentions, newest first; a not-found ``DeskError`` when unknown.
    public func contact(_ id: ContactID) async throws -> (contact: Contact, timeline: [ContactTimelineItem]) {
        guard let contact = try await store.contact(id: id) else { throw DeskError(.notFound, "no contact \(id)") }
        return (contact, try await store.timeline(contactID: id, limit: 200).compactMap(ContactTimelineItem.init))
    }

    /// Erases a person, as `outcry privacy erase` does: their words anonymised, identifiers
    /// suppressed, recorded in the audit under `actor`.
    public func erase(_ id: ContactID, by actor: String) async throws -> ErasureSummary {
        guard try await store.contact(id: id) != nil else { throw DeskError(.notFound, "no contact \(id)") }
        return ErasureSummary(try await store.erase(contactID: id, actor: actor, now: now))
    }
}

/// Two contacts that are likely the same person (``ContactDuplicates``), with the score and why.
public struct ContactDuplicate: Sendable {
    public var first: Contact
    public var second: Contact
    /// The two contacts' ids (stored contacts always have one).
    public var firstID: ContactID
    public var secondID: ContactID
    public var score: Double
    public var reasons: [String]
}

extension Desk {
    /// Every contact (read in pages) and the likely duplicate pairs among them, best first.
    func findDuplicates(minimum: Double) async throws -> (all: [Contact], pairs: [ContactDuplicate]) {
        guard (0...1).contains(minimum) else { throw DeskError(.badRequest, "minimum must be between 0 and 1") }
        var all: [Contact] = []
        var after: ContactID = 0
        while true {
            let page = try await store.contacts(after: after, limit: 10_000)
            guard let last = page.last?.id else { break }
            all += page
            after = last
        }
        let options = ContactDuplicates.Options(minimumScore: minimum, defaultRegion: contactRegion.flatMap(PhoneRegion.named))
        let pairs = ContactDuplicates.find(in: all, options: options).compactMap { pair -> ContactDuplicate? in
            let a = all[pair.first], b = all[pair.second]
            guard let firstID = a.id, let secondID = b.id else { return nil }
            return ContactDuplicate(first: a, second: b, firstID: firstID, secondID: secondID, score: pair.score, reasons: pair.reasons)
        }
        return (all, pairs)
    }

    /// Merges contact `remove` into `keep`, as `outcry contacts merge KEEP OTHER` does (both
    /// histories stay on `keep`; recorded in the audit under `actor`); returns what was kept, in words.
    @discardableResult
    public func mergeContacts(keep: ContactID, remove: ContactID, by actor: String) async throws -> [String] {
        guard keep != remove else { throw DeskError(.badRequest, "a contact cannot be merged into itself") }
        guard let a = try await store.contact(id: keep) else { throw DeskError(.notFound, "no contact \(keep)") }
        guard let b = try await store.contact(id: remove) else { throw DeskError(.notFound, "no contact \(remove)") }
        let result = ContactMerge.merge(b, into: a)
        try await store.mergeContacts(keep: keep, remove: remove, merged: result.merged, audit: result.audit, actor: actor, now: now)
        return result.audit
    }
}

extension Desk {
    /// The reports page's figures over the last `days` days, aggregated by the database. A
    /// severity's target is its SLA policy's first target (acknowledge, else first response)
    /// for social mentions, counted in wall-clock time (business hours are not applied here).
    public func reports(days: Int) async throws -> ReportFigures {
        var targets: [Severity: TimeInterval] = [:]
        for severity in Severity.allCases where severity != .none {
            if let policy = alertingConfig?.sla.policy(severity: severity, channel: .social),
               let target = policy.targets.acknowledge ?? policy.targets.firstResponse {
                targets[severity] = target.seconds
            }
        }
        return ReportFigures(try await store.reportAggregates(since: now - Double(days) * 86_400, targets: targets))
    }

    /// Records a download (a report's CSV) in the audit log.
    public func recordDownload(_ what: String, by actor: String) async throws {
        try await store.recordActivity(actor: actor, action: "download", detail: what, at: now)
    }
}
