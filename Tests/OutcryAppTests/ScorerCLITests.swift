import Foundation
import OutcryTestSupport
import Testing

/// Runs a binary with stdin, in a directory, waiting off the concurrency pool; returns status, stdout, stderr.
func run(_ binary: String, _ arguments: [String], stdin: String? = nil, in directory: String) async throws -> CommandResult {
    let exit = try await ChildProcess.run([binary] + arguments, in: directory, stdin: stdin)
    return CommandResult(status: exit.status, stdout: exit.stdout, stderr: exit.stderr)
}

@Suite struct ScorerCLITests {
    /// The base model is inside the binary: a copy outside .build (no resources beside it) scores
    /// with it; then labels train an installation model through --data-dir without any config.
    @Test func trainAndScoreWithADataDirectoryAndNoConfig() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("outcry-scorer-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let binary = dir + "/outcry"
        // Copied by cp, not by this process: a write handle held here would be inherited by the
        // processes other tests start meanwhile, and exec would fail with "text file busy".
        let copy = try await run("/bin/cp", [try #require(outcryBinary, "build the outcry binary first"), binary], in: dir)
        #expect(copy.status == 0, "\(copy.stderr)")

        let post = #"{"id":"p1","text":"the router was blorf again, useless"}"# + "\n"
        let before = try await run(binary, ["score"], stdin: post, in: dir)
        #expect(before.status == 0, "\(before.stderr)")
        #expect(before.stdout.contains(#""rule":"model.complaint""#) && before.stdout.contains("learned model, base"))

        var labels = ""
        for i in 0..<40 {
            let bad = i % 2 == 0
            labels += #"{"text":"the \#(["router", "app", "parcel", "meal"][i % 4]) was \#(bad ? "blorf" : "zarp") \#(i)","sentiment":"\#(bad ? "negative" : "positive")","complaint":\#(bad)}"# + "\n"
        }
        try labels.write(toFile: dir + "/labels.jsonl", atomically: true, encoding: .utf8)
        let trained = try await run(binary, ["scorer", "train", "--labels", "labels.jsonl", "--data-dir", "data"], in: dir)
        #expect(trained.status == 0, "\(trained.stderr)")
        #expect(trained.stdout.contains("v1 is now active"), "\(trained.stdout)")

        let after = try await run(binary, ["score", "--data-dir", "data"], stdin: post, in: dir)
        #expect(after.status == 0, "\(after.stderr)")
        let line = try #require(try JSONSerialization.jsonObject(with: Data(after.stdout.utf8)) as? [String: Any])
        #expect(after.stdout.hasPrefix(#"{"id":"p1","sentiment":{"compound":"#))
        #expect((line["sentiment"] as? [String: Any])?["label"] as? String == "negative")
        #expect(after.stdout.contains("learned from 40 team labels, v1"))
        #expect(after.stdout.contains(#""evidence":"'blorf'"#) || after.stdout.contains(#"'was blorf'"#), "\(after.stdout)")

        let status = try await run(binary, ["scorer", "status", "--data-dir", "data"], in: dir)
        #expect(status.status == 0 && status.stdout.contains("labels: 40") && status.stdout.contains("active: v1"), "\(status.stdout)")
        let rollback = try await run(binary, ["scorer", "rollback", "--data-dir", "data"], in: dir)
        #expect(rollback.status == 0 && rollback.stdout.contains("the base model"))

        let bad = try await run(binary, ["scorer", "train", "--labels", "-", "--data-dir", "data"], stdin: #"{"text":"x","urgency":["weather"]}"#, in: dir)
        #expect(bad.status != 0 && bad.stderr.contains("-:1: unknown urgency category \"weather\""), "\(bad.stderr)")
    }
}
