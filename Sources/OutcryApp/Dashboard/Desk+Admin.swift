import Foundation
import OutcryModel
import OutcryPipeline
import OutcryStore

extension Desk {
    /// The audit log, newest first: people's actions on threads, crises, privacy exports and
    /// erasures, merges, imports, users, labels, downloads (``Store/activity(offset:limit:)``).
    public func activity(offset: Int, limit: Int) async throws -> [ActivityEntry] {
        try await store.activity(offset: offset, limit: limit)
    }

    /// Crises, open ones first, then the most recent (as `outcry crisis list` shows them).
    public func crises() async throws -> [CrisisRecord] {
        try await store.crises(limit: 200)
    }

    /// Declares a crisis for a brand, or confirms a detected one (its alerts fold into the
    /// crisis alert), as `outcry crisis declare` does. With known brands, another is refused.
    @discardableResult
    public func declareCrisis(brand: String, by actor: String, note: String?) async throws -> Int64 {
        let brand = brand.trimmingCharacters(in: .whitespaces)
        guard !brand.isEmpty else { throw DeskError(.badRequest, "a crisis needs a brand") }
        if !brands.isEmpty, !brands.contains(brand) {
            throw DeskError(.badRequest, "no brand '\(brand)' in the configuration (brands: \(brands.joined(separator: ", ")))")
        }
        let note = note.flatMap { $0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? nil : $0 }
        return try await CrisisMonitor.declare(store: store, brand: brand, by: actor, note: note, now: now)
    }

    /// Ends a brand's open crisis, as `outcry crisis end` does; none open is a conflict.
    @discardableResult
    public func endCrisis(brand: String, by actor: String, note: String?) async throws -> CrisisRecord {
        let note = note.flatMap { $0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? nil : $0 }
        do {
            return try await store.endCrisis(brand: brand, by: actor, note: note, now: now)
        } catch let error as CrisisError {
            throw DeskError(.conflict, error.description)
        }
    }
}
