import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A child process for tests (a server script, curl, the `outcry` binary), the one way the test
/// support starts programs.
///
/// - The child gets an empty signal mask and default handlers: one spawned from a test's worker
///   thread would otherwise inherit that thread's blocked signals, and a server would then ignore
///   the SIGTERM meant to stop it.
/// - Its output goes to files (no pipe that a daemon could keep open, none to fill up), its input
///   comes from a file (`stdin`) or `/dev/null`; no other descriptor of the test process is
///   inherited (a test server's socket or another child's file stays the test's).
/// - It is started by `posix_spawn`, not Foundation's `Process`: `Process.run()` in Swift 6.3's
///   corelibs-foundation over-reads `/proc/self/fd` entries while closing descriptors and crashed
///   about one CI run in five (swift-corelibs-foundation PR #5472).
/// - ``exit()`` waits on a thread of its own: a test never blocks a thread of the concurrency pool
///   (as many as cores, two in CI) while a program runs, which starved the test servers of the
///   suites running beside it.
/// ```swift
/// let result = try await ChildProcess.run(["/usr/bin/env", "curl", "-sS", url])
/// #expect(result.status == 0)
/// ```
public final class ChildProcess: Sendable {
    /// How a child ended: its exit status (128 + signal when killed) and what it wrote.
    public struct Exit: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
    }

    public let pid: pid_t
    let outPath: String
    let errPath: String
    let inPath: String?

    private init(pid: pid_t, outPath: String, errPath: String, inPath: String?) {
        self.pid = pid
        self.outPath = outPath
        self.errPath = errPath
        self.inPath = inPath
    }

    /// Starts `arguments` (the first found on `PATH`), in `directory` when given, with `environment`
    /// added to this process's, reading `stdin` when given.
    public static func spawn(
        _ arguments: [String], in directory: String? = nil, environment: [String: String] = [:], stdin: String? = nil
    ) throws -> ChildProcess {
        precondition(!arguments.isEmpty, "ChildProcess.spawn needs a program")
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("outcry-child-\(UUID().uuidString)").path
        let (outPath, errPath) = (base + ".out", base + ".err")
        var inPath: String?
        if let stdin {
            inPath = base + ".in"
            try Data(stdin.utf8).write(to: URL(fileURLWithPath: base + ".in"))
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, inPath ?? "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        _ = closeFrom?(&actions, 3)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t()
        sigemptyset(&empty)
        var all = sigset_t()
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        // With a folder, a shell changes to it and becomes the program (exec): the pid stays the program's.
        let command = directory.map { ["/bin/sh", "-c", "cd \"$0\" && exec \"$@\"", $0] + arguments } ?? arguments
        let argv: [UnsafeMutablePointer<CChar>?] = command.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        let merged = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let envp: [UnsafeMutablePointer<CChar>?] = merged.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { envp.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawnp(&pid, command[0], &actions, &attributes, argv, envp)
        guard spawned == 0 else {
            if let inPath { try? FileManager.default.removeItem(atPath: inPath) }
            throw TestDovecot.Failure(description: "cannot run \(arguments[0]): error \(spawned)")
        }
        return ChildProcess(pid: pid, outPath: outPath, errPath: errPath, inPath: inPath)
    }

    /// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34 and later), which Swift's Glibc
    /// module does not declare: looked up once by name. Without it (an older libc) the child
    /// inherits the descriptors not marked close-on-exec, as it would from a plain `fork`/`exec`.
    private static let closeFrom: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>?, Int32) -> Int32)? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np") else { return nil }
        return unsafeBitCast(symbol, to: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>?, Int32) -> Int32).self)
    }()

    /// Runs `arguments` to its end (see ``spawn(_:in:environment:stdin:)``).
    public static func run(
        _ arguments: [String], in directory: String? = nil, environment: [String: String] = [:], stdin: String? = nil
    ) async throws -> Exit {
        try await spawn(arguments, in: directory, environment: environment, stdin: stdin).exit()
    }

    /// Sends `signal` (SIGKILL unless told).
    public func kill(_ signal: Int32 = SIGKILL) { _ = Glibc.kill(pid, signal) }

    /// Whether the child has not ended yet (it is not reaped here: ``exit()`` still reports it).
    /// Asked of the kernel with `waitid(WNOWAIT)`, which leaves an ended child for the reaper; a
    /// read of `/proc/PID/stat` is a file read that can fail, and then said "ended" too soon (the
    /// likely cause of a FaultTests kill loop that gave up at once in a loaded full run).
    public var isRunning: Bool {
        var info = siginfo_t()
        while true {
            if waitid(P_PID, id_t(pid), &info, WEXITED | WNOHANG | WNOWAIT) == 0 {
                return info._sifields._sigchld.si_pid == 0  // no state change yet: still running
            }
            if errno != EINTR { return false }  // ECHILD: already reaped
        }
    }

    /// What the child has written to its standard output so far.
    public var outputSoFar: String { (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "" }

    /// Waits for the child to end, on a thread outside the concurrency pool, and returns how it
    /// ended. Call it once.
    public func exit() async -> Exit {
        await withCheckedContinuation { (continuation: CheckedContinuation<Exit, Never>) in
            Thread.detachNewThread { continuation.resume(returning: self.reap()) }
        }
    }

    /// Reaps the child without waiting for it here: for a `stop()` that must not block. `then`
    /// runs on the reaping thread once the child is gone.
    public func reapInBackground(then: @escaping @Sendable () -> Void = {}) {
        Thread.detachNewThread {
            _ = self.reap()
            then()
        }
    }

    /// Blocks the calling thread until the child ends: only for an `atexit` handler, which runs
    /// when the concurrency pool has no more work to be starved of, or a one-off probe of a
    /// tool that ends at once (a lazily computed "is it installed" flag).
    public func waitBlocking() -> Exit { reap() }

    /// Runs a short probe to its end, blocking (see ``waitBlocking()``); nil when it cannot start.
    public static func probe(_ arguments: [String]) -> Exit? {
        (try? spawn(arguments))?.waitBlocking()
    }

    /// Blocks the calling thread until the child ends. Only for threads of one's own.
    private func reap() -> Exit {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let exited = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        let read = { (path: String) in (try? String(contentsOfFile: path, encoding: .utf8)) ?? "" }
        defer {
            for path in [outPath, errPath] + (inPath.map { [$0] } ?? []) { try? FileManager.default.removeItem(atPath: path) }
        }
        return Exit(status: exited, stdout: read(outPath), stderr: read(errPath))
    }
}
