import Foundation
import OutcryTestSupport
import Testing

/// The built `outcry` binary, next to the test bundle in the build folder.
let outcryBinary: String? = {
    var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    for _ in 0..<3 {
        let candidate = dir.appendingPathComponent("outcry").path
        if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        dir = dir.deletingLastPathComponent()
    }
    let fallback = repositoryRoot.appendingPathComponent(".build/debug/outcry").path
    return FileManager.default.isExecutableFile(atPath: fallback) ? fallback : nil
}()

struct CommandResult {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// Runs `outcry` with arguments in `directory` (reading `stdin` when given), waiting for it to exit
/// on a thread outside the concurrency pool (see `ChildProcess`).
func outcry(_ arguments: [String], in directory: String, environment: [String: String] = [:], stdin: String? = nil) async throws -> CommandResult {
    try await start(arguments, in: directory, environment: environment, stdin: stdin).finish()
}

/// An `outcry` process under test.
struct RunningCommand: Sendable {
    let child: ChildProcess

    var pid: pid_t { child.pid }
    var isRunning: Bool { child.isRunning }

    /// Asks it to stop, as systemd would (SIGTERM).
    func terminate() { child.kill(SIGTERM) }

    /// Waits for its exit and what it wrote.
    func finish() async -> CommandResult {
        let exit = await child.exit()
        return CommandResult(status: exit.status, stdout: exit.stdout, stderr: exit.stderr)
    }
}

func start(_ arguments: [String], in directory: String, environment: [String: String] = [:], stdin: String? = nil) throws -> RunningCommand {
    let binary = try #require(outcryBinary, "build the outcry binary first")
    return RunningCommand(child: try ChildProcess.spawn([binary] + arguments, in: directory, environment: environment, stdin: stdin))
}

/// A copy of the shipped config and feeds in a temporary folder, as an operator would have them.
func withSampleInstall<T>(_ body: (String) async throws -> T) async throws -> T {
    try await withTemporaryDirectory { dir in
        for folder in ["config", "feeds"] {
            try FileManager.default.copyItem(atPath: repositoryRoot.appendingPathComponent(folder).path, toPath: (dir as NSString).appendingPathComponent(folder))
        }
        return try await body(dir)
    }
}

/// Moves the sample configuration's dashboard (`web.listen: 127.0.0.1:8080`) to another port,
/// so a daemon under test never collides with whatever holds 8080; returns the port.
@discardableResult
func moveSampleDashboard(in dir: String, to port: Int = Int.random(in: 20_000...40_000)) throws -> Int {
    let path = (dir as NSString).appendingPathComponent("config/outcry.yaml")
    let text = try String(contentsOfFile: path, encoding: .utf8)
    precondition(text.contains("listen: 127.0.0.1:8080"), "the sample configuration no longer serves the dashboard on 127.0.0.1:8080")
    try text.replacingOccurrences(of: "listen: 127.0.0.1:8080", with: "listen: 127.0.0.1:\(port)").write(toFile: path, atomically: true, encoding: .utf8)
    return port
}

@Suite(.serialized, .enabled(if: outcryBinary != nil)) struct CLITests {
    @Test func pollThenQueueShowsTheUrgentComplaintsFirst() async throws {
        try await withSampleInstall { dir in
            let poll = try await outcry(["poll", "--once"], in: dir)
            #expect(poll.status == 0, "\(poll.stdout)\(poll.stderr)")
            #expect(poll.stdout.contains("ok      community-forum: 7 new"))
            #expect(poll.stdout.contains("3 sources polled, 0 failed"))
            let queue = try await outcry(["queue"], in: dir)
            #expect(queue.status == 0)
            let lines = queue.stdout.split(separator: "\n")
            #expect(lines.first?.hasPrefix("ID") == true)
            #expect(lines.dropFirst().first?.contains("P1") == true, "\(queue.stdout)")
            let json = try await outcry(["queue", "--json"], in: dir)
            let threads = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]]
            #expect((threads?.count ?? 0) >= 6 && threads?.first?["severity"] as? String == "P1")
            let sources = try await outcry(["sources"], in: dir)
            #expect(sources.stdout.contains("community-forum") && sources.stdout.contains("ok"))
        }
    }

    @Test func configCheckNamesTheLineAndExitsTwo() async throws {
        try await withSampleInstall { dir in
            let path = (dir as NSString).appendingPathComponent("config/outcry.yaml")
            var text = try String(contentsOfFile: path, encoding: .utf8)
            text = text.replacingOccurrences(of: "    interval: 10m", with: "    intervall: 10m")
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            let check = try await outcry(["config", "check"], in: dir)
            #expect(check.status == 2)
            #expect(check.stderr.contains("outcry.yaml:") && check.stderr.contains("did you mean `interval`"), "\(check.stderr)")
            let poll = try await outcry(["poll", "--once"], in: dir)
            #expect(poll.status == 2)
        }
    }

    @Test func aFailingSourceExitsOneAndTheOthersStillLand() async throws {
        try await withSampleInstall { dir in
            try Data("not a feed".utf8).write(to: URL(fileURLWithPath: (dir as NSString).appendingPathComponent("feeds/product-reviews.atom")))
            let poll = try await outcry(["poll", "--once"], in: dir)
            #expect(poll.status == 1)
            #expect(poll.stdout.contains("FAILED  product-reviews"))
            #expect(poll.stdout.contains("ok      social-mentions"))
        }
    }

    @Test func runStopsCleanlyOnSIGTERM() async throws {
        try await withSampleInstall { dir in
            try moveSampleDashboard(in: dir)
            let daemon = try start(["run"], in: dir)
            // Wait until the first pass has been committed.
            let db = (dir as NSString).appendingPathComponent("data/outcry.sqlite")
            var polled = false
            for _ in 0..<200 where !polled {
                try await Task.sleep(for: .milliseconds(50))
                let sources = try await outcry(["sources"], in: dir)
                polled = FileManager.default.fileExists(atPath: db) && sources.status == 0 && sources.stdout.contains("community-forum") && !sources.stdout.contains(" new ")
            }
            #expect(polled)
            daemon.terminate()
            let result = await daemon.finish()
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stderr.contains("stopped cleanly") || result.stdout.contains("stopped cleanly"), "\(result.stderr)")
            // The lock was released and the store is whole: a new pass runs at once.
            let poll = try await outcry(["poll", "--once", "--force"], in: dir)
            #expect(poll.status == 0 && poll.stdout.contains("0 new"), "\(poll.stdout)")
        }
    }

    @Test func initWritesAStarterThatPassesTheCheck() async throws {
        try await withTemporaryDirectory { dir in
            let initResult = try await outcry(["init"], in: dir)
            #expect(initResult.status == 0)
            #expect(try await outcry(["config", "check"], in: dir).status == 0)
            #expect(try await outcry(["init"], in: dir).status == 2)
        }
    }
}
