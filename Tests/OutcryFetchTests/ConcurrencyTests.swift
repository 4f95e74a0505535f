import OutcryFetch
import OutcryTestSupport
import Testing

@Suite struct ConcurrencyTests {
    @Test func twoHundredConcurrentRequestsAllComplete() async throws {
        let configuration = FetchClient.Configuration(maxConcurrentTransfers: 32, maxTotalConnections: 32, maxConnectionsPerHost: 6)
        try await withServer(configuration) { client, server in
            server.route("/item", .respond { request in TestResponse(text: request.uri) })
            let statuses = try await withThrowingTaskGroup(of: (Int, Bool).self) { group in
                for index in 0..<200 {
                    group.addTask {
                        let response = try await client.get(server.url("/item?n=\(index)"))
                        return (response.status, response.text == "/item?n=\(index)")
                    }
                }
                return try await group.reduce(into: [(Int, Bool)]()) { $0.append($1) }
            }
            #expect(statuses.count == 200)
            #expect(statuses.allSatisfy { $0 == (200, true) })
            #expect(server.requests(path: "/item").count == 200)
            // libcurl's per-host cap holds; connections are reused.
            #expect(Set(server.requests(path: "/item").map(\.connectionID)).count <= 6)
        }
    }

    @Test func cancellingTheTaskAbortsTheTransfer() async throws {
        try await withServer { client, server in
            server.route("/endless", .drip(every: .milliseconds(50)))
            var request = FetchRequest(url: server.url("/endless"))
            request.timeout = .seconds(30)
            let task = Task { try await client.fetch(request) }
            await server.waitForRequests(path: "/endless")
            task.cancel()
            let result = await task.result
            // The 30 s timeout would have ended it with a FetchError; CancellationError says the
            // cancellation did.
            #expect(throws: CancellationError.self) { try result.get() }
            // The client is still usable afterwards.
            server.route("/ok", .ok("fine"))
            let after = try await client.get(server.url("/ok"))
            #expect(after.text == "fine")
        }
    }

    @Test func alreadyCancelledTaskDoesNotFetch() async throws {
        try await withServer { client, server in
            server.route("/never", .ok("x"))
            let task = Task {
                withUnsafeCurrentTask { $0?.cancel() }
                return try await client.get(server.url("/never"))
            }
            await #expect(throws: CancellationError.self) { try await task.value }
            #expect(server.requests.isEmpty)
        }
    }

    @Test func shutdownFailsInFlightAndLaterRequests() async throws {
        let server = try await TestHTTPServer.start()
        server.route("/endless", .drip(every: .milliseconds(50)))
        let client = FetchClient()
        let inFlight = Task { try await client.get(server.url("/endless")) }
        await server.waitForRequests(path: "/endless")
        await client.shutdown()
        await client.shutdown()  // idempotent
        await #expect(throws: FetchError(.shutdown, url: server.url("/endless"))) { try await inFlight.value }
        await #expect(throws: FetchError(.shutdown, url: server.url("/x"))) { try await client.get(server.url("/x")) }
        try await server.stop()
    }
}
