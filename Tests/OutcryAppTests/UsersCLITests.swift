import Foundation
import Testing

/// `outcry users add|list|token` on a sample install (issue 17).
@Suite(.serialized, .enabled(if: outcryBinary != nil)) struct UsersCLITests {
    /// Runs outcry with `input` on its stdin (a file, so the password is read from it, not prompted for).
    func outcry(_ arguments: [String], in dir: String, input: String) async throws -> CommandResult {
        try await OutcryAppTests.outcry(arguments, in: dir, stdin: input)
    }

    @Test func usersAreAddedListedAndGivenTokens() async throws {
        try await withSampleInstall { dir in
            let empty = try await OutcryAppTests.outcry(["users", "list"], in: dir)
            #expect(empty.status == 0 && empty.stdout.contains("No users yet"), "\(empty.stderr)")
            let added = try await outcry(["users", "add", "ana", "--role", "responder"], in: dir, input: "a long enough password\n")
            #expect(added.status == 0 && added.stdout.contains("user ana added (responder)"), "\(added.stderr)")
            let short = try await outcry(["users", "add", "bob", "--role", "viewer"], in: dir, input: "short\n")
            #expect(short.status == 1 && short.stderr.contains("too short"))
            let none = try await outcry(["users", "add", "bob", "--role", "viewer"], in: dir, input: "")
            #expect(none.status == 1 && none.stderr.contains("no password on stdin"))
            let twice = try await outcry(["users", "add", "ANA", "--role", "viewer"], in: dir, input: "another long password\n")
            #expect(twice.status == 1 && twice.stderr.contains("already exists"))
            let badName = try await outcry(["users", "add", "a b<script>", "--role", "viewer"], in: dir, input: "another long password\n")
            #expect(badName.status == 1 && badName.stderr.contains("not a usable user name"))
            let badRole = try await OutcryAppTests.outcry(["users", "add", "carl", "--role", "boss"], in: dir)
            #expect(badRole.status != 0 && badRole.stderr.contains("boss"))

            let list = try await OutcryAppTests.outcry(["users", "list"], in: dir)
            #expect(list.stdout.contains("ana   responder"), "\(list.stdout)")
            #expect(!list.stdout.contains("bob"))
            let token = try await OutcryAppTests.outcry(["users", "token", "ana"], in: dir)
            let value = token.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(token.status == 0 && value.hasPrefix("oc_") && value.count == 67, "\(token.stdout)")
            let other = try await OutcryAppTests.outcry(["users", "token", "ana"], in: dir)
            #expect(other.stdout != token.stdout, "each token is new")
            let nobody = try await OutcryAppTests.outcry(["users", "token", "nobody"], in: dir)
            #expect(nobody.status == 1 && nobody.stderr.contains("no user named 'nobody'"))
        }
    }
}
