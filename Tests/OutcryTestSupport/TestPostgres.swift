import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A real PostgreSQL 15 cluster on a free 127.0.0.1 port, started once per test process through
/// `scripts/postgres.sh` and stopped when the process exits; each test gets a database of its own.
///
/// When PostgreSQL is not installed or does not start, ``database()`` throws
/// ``TestPostgres/Failure`` saying why (the tests fail, they do not pass silently);
/// `scripts/setup.sh --test` installs it.
/// ```swift
/// let url = try await TestPostgres.database()      // postgres://postgres@127.0.0.1:PORT/t_…
/// let store = try await Store.open(postgres: url, directory: dir)
/// ```
public enum TestPostgres {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
        public init(description: String) { self.description = description }
    }

    static let script = TestDovecot.repositoryRoot.appendingPathComponent("scripts/postgres.sh").path

    private static let shared = Cluster()

    /// A new empty database on the shared cluster (started on first use), as a `postgres://` address.
    public static func database() async throws -> String {
        let server = try await shared.started()
        let name = "t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(20)
        let created = try await ChildProcess.run([server.psql, "-h", "127.0.0.1", "-p", String(server.port), "-U", "postgres",
                                                  "-d", "postgres", "-v", "ON_ERROR_STOP=1", "-qc", "CREATE DATABASE \(name)"])
        guard created.status == 0 else {
            throw Failure(description: "PostgreSQL: CREATE DATABASE failed (exit \(created.status)): \(created.stderr)")
        }
        return "postgres://postgres@127.0.0.1:\(server.port)/\(name)?sslmode=disable"
    }

    /// The cluster of this test process: started once, stopped by an `atexit` handler.
    actor Cluster {
        struct Server: Sendable {
            let dir: String
            let port: Int
            let psql: String
        }

        private var result: Result<Server, Failure>?
        private var starting: Task<Result<Server, Failure>, Never>?

        func started() async throws -> Server {
            if let result { return try result.get() }
            if starting == nil { starting = Task { await Self.start() } }
            let outcome = await starting!.value
            result = outcome
            return try outcome.get()
        }

        private static func start() async -> Result<Server, Failure> {
            guard let psql = ["/usr/lib/postgresql/15/bin/psql", "/usr/bin/psql", "/usr/local/bin/psql"].first(where: FileManager.default.isExecutableFile) else {
                return .failure(Failure(description: "PostgreSQL is not installed: no psql (run scripts/setup.sh --test)"))
            }
            // Directly under the temporary folder: the postgres user must be able to reach it.
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("outcry-pg-\(UUID().uuidString.prefix(8))").path
            var lastError = ""
            for _ in 0..<3 {
                let port: Int
                do { port = try TestDovecot.freePorts().0 } catch { return .failure(Failure(description: "no free port: \(error)")) }
                do {
                    let run = try await ChildProcess.run(["/bin/bash", script, "start", dir, String(port)])
                    if run.status == 3 { return .failure(Failure(description: "PostgreSQL is not installed (run scripts/setup.sh --test): \(run.stderr)")) }
                    if run.status == 0 {
                        stopAtExit(dir)
                        return .success(Server(dir: dir, port: port, psql: psql))
                    }
                    lastError = "exit \(run.status): \(run.stdout)\(run.stderr)"
                } catch {
                    lastError = "\(error)"
                }
                _ = try? await ChildProcess.run(["/bin/bash", script, "stop", dir])
            }
            return .failure(Failure(description: "PostgreSQL did not start: \(lastError)"))
        }
    }

    private static func stopAtExit(_ dir: String) {
        clusterDirectory.withLock { $0 = dir }
        atexit {
            guard let dir = TestPostgres.clusterDirectory.withLock({ $0 }) else { return }
            if let stop = try? ChildProcess.spawn(["/bin/bash", TestPostgres.script, "stop", dir]) { _ = stop.waitBlocking() }
            try? FileManager.default.removeItem(atPath: dir)
        }
    }

    fileprivate static let clusterDirectory = Locked<String?>(nil)
}

/// A value behind a lock, for the `atexit` handler (which cannot reach an actor).
final class Locked<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value
    init(_ value: Value) { self.value = value }
    func withLock<T>(_ body: (inout Value) -> T) -> T {
        lock.lock()
        defer { lock.unlock() }
        return body(&value)
    }
}
