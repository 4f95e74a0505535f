import Foundation
import OutcryContacts
import OutcryModel
import OutcryPipeline
import OutcryScoring
import OutcryStore

/// Contacts and privacy, wired from the configuration.
extension Application {
    /// The linker the poller uses, with the configured region and threshold.
    func makeLinker(_ store: Store) -> ContactLinker {
        ContactLinker(store: store, options: config.contacts.matchOptions, logger: logger)
    }

    /// Imports a contacts file into the store in one transaction (see ``ContactFileImport``).
    public func importContacts(
        path: String, format: ContactImportFormat = .auto, region: String? = nil, actor: String = "cli",
        progress: (@Sendable (Int64, Int64) -> Void)? = nil
    ) async throws -> ContactFileImportReport {
        let store = try await openStore(sync: false)
        do {
            let report = try await ContactFileImport.run(
                path: path, options: config.contacts.importOptions(format: format, region: region), store: store, actor: actor, progress: progress)
            try await store.close()
            return report
        } catch {
            try? await store.close()
            throw error
        }
    }

    /// One retention purge with the configured periods.
    public func purgeOnce() async throws -> PurgeResult {
        let store = try await openStore(sync: false)
        do {
            let result = try await RetentionService(store: store, settings: config.retention, logger: logger).purgeOnce()
            try await store.close()
            return result
        } catch {
            try? await store.close()
            throw error
        }
    }
}
