import Foundation
import NIOCore

/// The server's mutable state behind one lock: routes, recorded requests, open connections.
final class TestServerState: @unchecked Sendable {
    private let lock = NSLock()
    private var routes: [String: TestRoute] = [:]
    private var prefixRoutes: [(prefix: String, route: @Sendable (RecordedRequest) -> TestRoute?)] = []
    private var recorded: [RecordedRequest] = []
    private var waiters: [(path: String?, count: Int, continuation: CheckedContinuation<Void, Never>)] = []
    private var connections: [Int: any Channel] = [:]
    private var nextConnectionID = 1
    private var closed = false

    private func locked<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }

    func setRoute(_ path: String, _ route: TestRoute) { locked { routes[path] = route } }

    func addPrefixRoute(_ prefix: String, _ route: @escaping @Sendable (RecordedRequest) -> TestRoute?) {
        locked { prefixRoutes.append((prefix, route)) }
    }

    /// Exact URI, then path without query, then the longest matching prefix.
    func route(for request: RecordedRequest) -> TestRoute? {
        let (exact, prefixes) = locked { (routes[request.uri] ?? routes[request.path], prefixRoutes) }
        if let exact { return exact }
        for entry in prefixes.sorted(by: { $0.prefix.count > $1.prefix.count }) where request.path.hasPrefix(entry.prefix) {
            if let route = entry.route(request) { return route }
        }
        return nil
    }

    var requests: [RecordedRequest] { locked { recorded } }

    func record(_ request: RecordedRequest) {
        let ready = locked {
            recorded.append(request)
            let done = waiters.indices.filter { satisfied(waiters[$0].path, waiters[$0].count) }
            let continuations = done.map { waiters[$0].continuation }
            for index in done.reversed() { waiters.remove(at: index) }
            return continuations
        }
        for continuation in ready { continuation.resume() }
    }

    func waitFor(path: String?, count: Int) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let ready = locked {
                if closed || satisfied(path, count) { return true }
                waiters.append((path, count, continuation))
                return false
            }
            if ready { continuation.resume() }
        }
    }

    private func satisfied(_ path: String?, _ count: Int) -> Bool {
        recorded.lazy.filter { path == nil || $0.path == path }.count >= count
    }

    /// Registers a connection; nil once the server is stopping (the caller closes it).
    func open(_ channel: any Channel) -> Int? {
        locked {
            guard !closed else { return nil }
            defer { nextConnectionID += 1 }
            connections[nextConnectionID] = channel
            return nextConnectionID
        }
    }

    func close(_ id: Int) { _ = locked { connections.removeValue(forKey: id) } }

    /// Marks the server closed, releases waiters, returns the open connections to close.
    func shutDown() -> [any Channel] {
        let (channels, pending) = locked {
            closed = true
            defer { connections.removeAll(); waiters.removeAll() }
            return (Array(connections.values), waiters.map(\.continuation))
        }
        for continuation in pending { continuation.resume() }
        return channels
    }
}
