import Foundation
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

/// Runs `outcry` with arguments in `directory`, waiting for it to exit.
///
/// The wait and the reading of its output happen on a thread of their own: blocking a thread of
/// the concurrency pool (as many threads as cores, two here) for the whole run of a command starved
/// the test HTTP servers' handlers of the suites running beside it, which then timed out.
func outcry(_ arguments: [String], in directory: String, environment: [String: String] = [:]) async throws -> CommandResult {
    let process = try start(arguments, in: directory, environment: environment)
    return await process.finish()
}

final class RunningCommand: @unchecked Sendable {
    let process = Process()
    let out = Pipe()
    let err = Pipe()

    /// Reads both pipes to their end (so a chatty command never blocks on a full pipe) and waits
    /// for the exit, on threads outside the concurrency pool.
    func finish() async -> CommandResult {
        await withCheckedContinuation { (continuation: CheckedContinuation<CommandResult, Never>) in
            Thread.detachNewThread {
                nonisolated(unsafe) var errorText = Data()
                let readErr = DispatchSemaphore(value: 0)
                Thread.detachNewThread {
                    errorText = self.err.fileHandleForReading.readDataToEndOfFile()
                    readErr.signal()
                }
                let output = self.out.fileHandleForReading.readDataToEndOfFile()
                readErr.wait()
                self.process.waitUntilExit()
                continuation.resume(returning: CommandResult(
                    status: self.process.terminationStatus, stdout: String(decoding: output, as: UTF8.self),
                    stderr: String(decoding: errorText, as: UTF8.self)))
            }
        }
    }
}

func start(_ arguments: [String], in directory: String, environment: [String: String] = [:]) throws -> RunningCommand {
    let command = RunningCommand()
    command.process.executableURL = URL(fileURLWithPath: try #require(outcryBinary, "build the outcry binary first"))
    command.process.arguments = arguments
    command.process.currentDirectoryURL = URL(fileURLWithPath: directory)
    command.process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    command.process.standardOutput = command.out
    command.process.standardError = command.err
    try command.process.run()
    return command
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
            daemon.process.terminate()
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
