import Foundation
import Logging
import OutcryApp
import OutcryFetch
import OutcryModel
import OutcryStore
import ServiceLifecycle
import Testing
@testable import OutcryWeb

/// The live queue (`/queue/events`, server-sent events): a signed-in page gets the queue's stamp
/// at once, and the stream ends when the service group shuts down gracefully, so an open page
/// never holds `outcry run`'s shutdown up.
@Suite(.serialized) struct LiveQueueTests {
    @Test func theEventStreamSendsTheStampAndEndsOnGracefulShutdown() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("outcry-live-\(UUID().uuidString)").path
        let store = try await Store.open(directory: dir)
        let client = FetchClient()
        do {
            let hasher = BcryptHasher(cost: 4)
            let accounts = UserAccounts(store: store, hasher: hasher)
            try await accounts.add(name: "vera", role: .viewer, password: "correct horse battery", now: Date())
            let session = try #require(try await accounts.login(name: "vera", password: "correct horse battery"))
            let stamp = try await store.queueStamp()
            let web = WebServer(desk: Desk(store: store, alerting: nil), settings: WebSettings(host: "127.0.0.1", port: 0), hasher: hasher)
            let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
            let group = ServiceGroup(configuration: .init(services: [web.application { continuation.yield($0) }], logger: Logger(label: "test")))
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await group.run() }
                var iterator = ports.makeAsyncIterator()
                let base = "http://127.0.0.1:\(try #require(await iterator.next()))"
                // Without a session: the login, not the stream.
                let anonymous = try await client.get(base + "/queue/events")
                #expect(anonymous.status == 303 || anonymous.status == 200)
                #expect(anonymous.headers["content-type"]?.hasPrefix("text/event-stream") != true)
                #expect(await LiveQueueStreams.shared.count == 0)

                let headers: FetchHeaders = ["Cookie": "\(DashboardRoutes.sessionCookie)=\(session.cookie)"]
                async let streamed = client.get(base + "/queue/events", headers: headers)
                // Waits until the server holds the stream open (a condition, not a time bound;
                // the loop gives up after a minute so a broken server fails instead of hanging).
                var waited = 0
                while await LiveQueueStreams.shared.count == 0, waited < 1200 {
                    try await Task.sleep(for: .milliseconds(50))
                    waited += 1
                }
                #expect(await LiveQueueStreams.shared.count == 1, "the stream never opened")
                await group.triggerGracefulShutdown()
                let response = try await streamed
                #expect(response.status == 200)
                #expect(response.headers["content-type"] == "text/event-stream; charset=utf-8")
                let text = String(decoding: response.body, as: UTF8.self)
                #expect(text.hasPrefix("retry: 5000\n\nevent: queue\ndata: \(stamp)\n\n"), "\(text)")
                try await tasks.waitForAll()
            }
            #expect(await LiveQueueStreams.shared.count == 0)
        } catch {
            await client.shutdown()
            try? await store.close()
            throw error
        }
        await client.shutdown()
        try await store.close()
        try? FileManager.default.removeItem(atPath: dir)
    }
}
