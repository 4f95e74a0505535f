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
    /// `mapping` (field → columns, from `--map`) comes on top of `contacts.mapping` in the file.
    public func importContacts(
        path: String, format: ContactImportFormat = .auto, region: String? = nil, mapping: [String: String] = [:], actor: String = "cli",
        progress: (@Sendable (Int64, Int64) -> Void)? = nil
    ) async throws -> ContactFileImportReport {
        let store = try await openStore(sync: false)
        do {
            let report = try await ContactFileImport.run(
                path: path, options: contactImportOptions(format: format, region: region, mapping: mapping), store: store, actor: actor,
                progress: progress)
            try await store.close()
            return report
        } catch {
            try? await store.close()
            throw error
        }
    }

    /// The import options of the configuration with `--map` columns on top.
    func contactImportOptions(format: ContactImportFormat, region: String?, mapping: [String: String]) -> ContactImportOptions {
        var options = config.contacts.importOptions(format: format, region: region)
        options.mapping.merge(mapping) { _, given in given }
        return options
    }

    /// What importing `path` would do, read without opening the store (`contacts import --dry-run`).
    public func previewContacts(path: String, format: ContactImportFormat = .auto, region: String? = nil,
                                mapping: [String: String] = [:]) throws -> ContactImportPreview {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw ContactImportError("cannot open the file (\(String(cString: strerror(errno))))") }
        defer { close(fd) }
        return try ContactImportPreview.read(FileDescriptorReader(fd), options: contactImportOptions(format: format, region: region, mapping: mapping))
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
