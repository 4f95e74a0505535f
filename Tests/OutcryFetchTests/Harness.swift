import Foundation
import OutcryFetch
import OutcryTestSupport
import Testing

/// Runs `body` with a fresh test server and client, and tears both down afterwards.
func withServer<T>(
    _ configuration: FetchClient.Configuration = FetchClient.Configuration(),
    _ body: (FetchClient, TestHTTPServer) async throws -> T
) async throws -> T {
    let server = try await TestHTTPServer.start()
    let client = FetchClient(configuration: configuration)
    do {
        let result = try await body(client, server)
        await client.shutdown()
        try await server.stop()
        return result
    } catch {
        await client.shutdown()
        try await server.stop()
        throw error
    }
}

/// The `FetchError` thrown by `operation`, recording an issue when it succeeds or throws something else.
func fetchError(
    sourceLocation: SourceLocation = #_sourceLocation, _ operation: () async throws -> FetchResponse
) async -> FetchError? {
    do {
        let response = try await operation()
        Issue.record("expected a FetchError, got status \(response.status)", sourceLocation: sourceLocation)
    } catch let error as FetchError {
        return error
    } catch {
        Issue.record("expected a FetchError, got \(error)", sourceLocation: sourceLocation)
    }
    return nil
}
