import NIOCore
import NIOHTTP1
import NIOPosix

/// A real HTTP/1.1 server on 127.0.0.1 with an ephemeral port, for tests that need sockets.
///
/// Routes are registered per test; every request is recorded. Unknown paths answer 404.
/// ```swift
/// let server = try await TestHTTPServer.start()
/// server.route("/feed", .resource(text: "<rss/>", etag: "\"v1\""))
/// let response = try await client.get(server.url("/feed"))
/// #expect(server.requests(path: "/feed").count == 1)
/// try await server.stop()
/// ```
public final class TestHTTPServer: Sendable {
    typealias Connection = NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>

    /// The bound port on 127.0.0.1.
    public let port: Int
    let state = TestServerState()
    private let serverChannel: any Channel
    private let runTask: Task<Void, Never>

    /// Binds 127.0.0.1 on an ephemeral port and starts accepting connections.
    public static func start() async throws -> TestHTTPServer {
        let listener = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: 1024)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .bind(host: "127.0.0.1", port: 0) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    return try Connection(wrappingChannelSynchronously: channel)
                }
            }
        return TestHTTPServer(listener: listener)
    }

    private init(listener: NIOAsyncChannel<Connection, Never>) {
        port = listener.channel.localAddress?.port ?? 0
        serverChannel = listener.channel
        let state = state
        // On a thread of the server's own, not the concurrency pool: a suite beside it that keeps
        // the pool's threads busy (two in CI) must not keep this server from answering.
        runTask = Task(executorPreference: TestServerExecutor.shared) {
            await withDiscardingTaskGroup { group in
                try? await listener.executeThenClose { inbound in
                    for try await connection in inbound {
                        group.addTask { await TestConnectionHandler(state: state).serve(connection) }
                    }
                }
            }
        }
    }

    /// `http://127.0.0.1:<port>`.
    public var baseURL: String { "http://127.0.0.1:\(port)" }

    /// An absolute URL for `path` on this server.
    public func url(_ path: String) -> String {
        baseURL + (path.hasPrefix("/") ? path : "/" + path)
    }

    /// Answers requests for `path` (exact match on path+query first, then on the path) with `route`.
    public func route(_ path: String, _ route: TestRoute) {
        state.setRoute(path, route)
    }

    /// Every request received so far, in order.
    public var requests: [RecordedRequest] { state.requests }

    /// The requests received for `path` (without query).
    public func requests(path: String) -> [RecordedRequest] {
        state.requests.filter { $0.path == path }
    }

    /// Suspends until at least `count` requests for `path` (any path if nil) have been received.
    /// Returns at once when the server is stopped.
    public func waitForRequests(path: String? = nil, count: Int = 1) async {
        await state.waitFor(path: path, count: count)
    }

    /// Closes the listener and every open connection, and waits for the handlers to finish.
    public func stop() async throws {
        runTask.cancel()
        try? await serverChannel.close()
        for channel in state.shutDown() {
            try? await channel.close()
        }
        await runTask.value
    }
}

/// Runs the test servers' tasks on one event-loop thread of their own (a `TaskExecutor`): the
/// handlers only await socket I/O there, and no test's busy or blocked pool thread delays them.
final class TestServerExecutor: TaskExecutor {
    static let shared = TestServerExecutor()
    private let loop: any EventLoop = MultiThreadedEventLoopGroup(numberOfThreads: 1).next()

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedTaskExecutor()
        loop.execute { job.runSynchronously(on: executor) }
    }
}
