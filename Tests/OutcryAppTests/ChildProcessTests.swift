import Foundation
import OutcryTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The tests' one way to start programs (`ChildProcess`, posix_spawn) keeps the test process's
/// descriptors to itself and hands the child its input, output and status.
@Suite struct ChildProcessTests {
    @Test func aChildInheritsOnlyItsThreeStandardDescriptors() async throws {
        // A descriptor opened without close-on-exec, as a careless library would leave one.
        let leaky = open("/dev/null", O_RDONLY)
        try #require(leaky > 2)
        defer { close(leaky) }
        let result = try await ChildProcess.run(["/bin/sh", "-c", "ls /proc/$$/fd"])
        #expect(result.status == 0, "\(result.stderr)")
        let open = Set(result.stdout.split(separator: "\n").map(String.init))
        #expect(!open.contains(String(leaky)), "the child inherited descriptor \(leaky): \(open.sorted())")
        #expect(open.isSuperset(of: ["0", "1", "2"]))
    }

    @Test func inputOutputAndStatusReachTheTest() async throws {
        let result = try await ChildProcess.run(["/bin/sh", "-c", "read line; echo \"got $line\"; echo oops >&2; exit 3"], stdin: "hello\n")
        #expect(result.status == 3)
        #expect(result.stdout == "got hello\n")
        #expect(result.stderr == "oops\n")
        #expect(ChildProcess.probe(["/bin/sh", "-c", "kill -9 $$"])?.status == 128 + SIGKILL)
        #expect(ChildProcess.probe(["/nonexistent/program"]) == nil)
    }

    @Test func runningIsTrueUntilTheChildEndsAndTheEndIsStillReported() async throws {
        let child = try ChildProcess.spawn(["/bin/sleep", "30"])
        // Asked many times while the child sleeps: running every time.
        for _ in 0..<200 { #expect(child.isRunning) }
        child.kill(SIGTERM)
        let deadline = Date().addingTimeInterval(30)
        while child.isRunning && Date() < deadline { try await Task.sleep(for: .milliseconds(5)) }
        #expect(!child.isRunning, "the child did not end after SIGTERM")
        // Not reaped by the question: the end is still there for exit().
        let ended = await child.exit()
        #expect(ended.status == 128 + SIGTERM)
        #expect(!child.isRunning)
    }
}
