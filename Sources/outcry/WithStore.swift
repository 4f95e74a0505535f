import ArgumentParser
import OutcryApp
import OutcryStore

/// Opens the store for a read-only command and closes it again; store errors exit with code 2.
func withStore<T: Sendable>(_ config: OutcryConfig, _ body: (Store) async throws -> T) async throws -> T {
    let store: Store
    do {
        store = try await Application(config: config).openStore(sync: false)
    } catch {
        Terminal.error("\(error)")
        throw ExitCode(ExitCodes.configOrStore)
    }
    do {
        let result = try await body(store)
        try await store.close()
        return result
    } catch {
        try? await store.close()
        throw error
    }
}
