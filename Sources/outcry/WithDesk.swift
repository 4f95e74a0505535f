import ArgumentParser
import OutcryApp

/// Runs `body` with App's use cases over the configured store (App opens and closes it); a
/// store that cannot be opened, or unusable alert settings with `actions`, exit with code 2.
func withDesk<T: Sendable>(_ config: OutcryConfig, actions: Bool = false, _ body: (Desk) async throws -> T) async throws -> T {
    do {
        return try await Application(config: config).withDesk(actions: actions, body)
    } catch let error as StoreUnavailable {
        Terminal.error(error.description)
        throw ExitCode(ExitCodes.configOrStore)
    }
}
