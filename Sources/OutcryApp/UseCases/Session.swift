import Foundation
import Logging
import OutcryPipeline
import OutcryStore

/// The store could not be opened (or the configuration it needs is unusable): the CLI says so
/// and exits with its configuration-or-store code. `description` is the underlying error's words.
public struct StoreUnavailable: Error, CustomStringConvertible, Sendable {
    public let description: String

    public init(_ description: String) { self.description = description }
    init(_ error: any Error) { self.description = String(describing: error) }
}

/// A store error seen by a use case that the command line reports in the store's own words
/// (`thread 7 not found`), with whether the thing asked for does not exist.
public struct StoreFailure: Error, CustomStringConvertible, Sendable {
    public let description: String
    public let isNotFound: Bool

    init(_ error: StoreError) {
        self.description = error.description
        self.isNotFound = error.isNotFound
    }

    /// Runs `body`, turning a ``StoreError`` into a ``StoreFailure`` (other errors pass through).
    static func mapping<T>(_ body: () async throws -> T) async throws -> T {
        do { return try await body() } catch let error as StoreError { throw StoreFailure(error) }
    }
}

extension Application {
    /// Opens the store (without syncing the sources), runs `body` with the use cases over it and
    /// closes the store again, also when `body` throws. With `actions`, the alert settings are
    /// resolved first (thread actions need them: the ack key, the routing tree), else only the
    /// alerting configuration is read. A failure to open the store, or to resolve the settings,
    /// is a ``StoreUnavailable``; errors of `body` pass through unchanged.
    public func withDesk<T: Sendable>(actions: Bool = false, _ body: (Desk) async throws -> T) async throws -> T {
        let settings: AlertSettings?
        do { settings = actions ? try alertSettings() : nil } catch { throw StoreUnavailable(error) }
        let store: Store
        do { store = try await openStore(sync: false) } catch { throw StoreUnavailable(error) }
        let desk = Desk(store: store, settings: settings, alerting: settings?.config ?? config.alerting?.config,
                        brands: config.brands.map(\.name), contactRegion: config.contacts.defaultRegion)
        return try await Self.closing(store) { try await body(desk) }
    }

    /// The same over the store in `directory` (or the PostgreSQL database at `database`), without
    /// a configuration file: `outcry label` and `outcry scorer … --data-dir DIR`.
    public static func withDesk<T: Sendable>(directory: String, database: String?, _ body: (Desk) async throws -> T) async throws -> T {
        let store: Store
        do { store = try await Store.open(database: database, directory: directory) } catch { throw StoreUnavailable(error) }
        return try await closing(store) { try await body(Desk(store: store, alerting: nil)) }
    }

    /// Runs `body`, then closes `store` (also when `body` throws, keeping `body`'s error).
    static func closing<T>(_ store: Store, _ body: () async throws -> T) async throws -> T {
        do {
            let result = try await body()
            try await store.close()
            return result
        } catch {
            try? await store.close()
            throw error
        }
    }
}
