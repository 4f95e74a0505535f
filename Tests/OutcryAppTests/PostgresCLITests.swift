import Foundation
import OutcryTestSupport
import Testing
@testable import OutcryApp

/// `database: postgres://…`: the README's two commands on PostgreSQL, `outcry migrate`, and
/// `outcry db copy` moving an SQLite installation across (twice, without change).
@Suite(.serialized, .enabled(if: outcryBinary != nil)) struct PostgresCLITests {
    /// Points the sample configuration at `url`, the password from ${PGPASSWORD}.
    func usePostgres(_ dir: String, _ url: String) throws {
        let path = (dir as NSString).appendingPathComponent("config/outcry.yaml")
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let address = url.replacingOccurrences(of: "postgres://postgres@", with: "postgres://postgres:${PGPASSWORD}@")
        try ("database: \(address)\n" + text).write(toFile: path, atomically: true, encoding: .utf8)
    }

    @Test func pollAndQueueRunOnPostgreSQLAndMigrateSaysWhatItDid() async throws {
        let url = try await TestPostgres.database()
        try await withSampleInstall { dir in
            try usePostgres(dir, url)
            let env = ["PGPASSWORD": "unused-with-trust"]
            let migrate = try await outcry(["migrate"], in: dir, environment: env)
            #expect(migrate.status == 0, "\(migrate.stdout)\(migrate.stderr)")
            #expect(migrate.stdout.contains("applied 0001_sources") && migrate.stdout.contains("(PostgreSQL)"), "\(migrate.stdout)")
            #expect(!migrate.stdout.contains("unused-with-trust"))
            let again = try await outcry(["migrate"], in: dir, environment: env)
            #expect(again.stdout.contains("already up to date"), "\(again.stdout)")
            let poll = try await outcry(["poll", "--once"], in: dir, environment: env)
            #expect(poll.status == 0, "\(poll.stdout)\(poll.stderr)")
            #expect(poll.stdout.contains("ok      community-forum: 7 new"), "\(poll.stdout)")
            let queue = try await outcry(["queue"], in: dir, environment: env)
            #expect(queue.status == 0)
            #expect(queue.stdout.split(separator: "\n").dropFirst().first?.contains("P1") == true, "\(queue.stdout)")
            // No SQLite file was made: the data lives in PostgreSQL.
            #expect(!FileManager.default.fileExists(atPath: (dir as NSString).appendingPathComponent("data/outcry.sqlite")))
            // Without the variable, the configuration names what is missing.
            let missing = try await outcry(["queue"], in: dir)
            #expect(missing.status == 2 && missing.stderr.contains("PGPASSWORD"), "\(missing.stderr)")
        }
    }

    @Test func dbCopyMovesAnSQLiteInstallationAndCanRunAgain() async throws {
        let url = try await TestPostgres.database()
        try await withSampleInstall { dir in
            let poll = try await outcry(["poll", "--once"], in: dir)
            #expect(poll.status == 0, "\(poll.stdout)\(poll.stderr)")
            let before = try await outcry(["queue", "--json"], in: dir)
            let copy = try await outcry(["db", "copy", "--to", url, "--batch", "4"], in: dir)
            #expect(copy.status == 0, "\(copy.stdout)\(copy.stderr)")
            #expect(copy.stdout.contains("copied") && copy.stderr.contains("mentions: "), "\(copy.stdout)\(copy.stderr)")
            let second = try await outcry(["db", "copy", "--to", url], in: dir)
            #expect(second.status == 0 && second.stdout == copy.stdout, "\(second.stdout)")
            try usePostgres(dir, url)
            let after = try await outcry(["queue", "--json"], in: dir, environment: ["PGPASSWORD": "x"])
            #expect(after.status == 0, "\(after.stderr)")
            // The same threads in the same order, with the same severity and title.
            func summary(_ json: String) throws -> [String] {
                let threads = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]])
                return threads.map { "\($0["id"] ?? "") \($0["severity"] ?? "") \($0["title"] ?? "")" }
            }
            let expected = try summary(before.stdout)
            #expect(expected.count >= 6)
            #expect(try summary(after.stdout) == expected)
        }
    }
}

@Suite struct DatabaseConfigTests {
    @Test func aPostgresAddressTakesItsPasswordFromTheEnvironment() throws {
        let yaml = """
            database: postgres://outcry:${PGPASSWORD}@db.internal:5432/outcry
            sources:
              - name: a
                url: https://example.org/feed
            """
        let config = try ConfigLoader.parse(yaml, path: "/etc/outcry/outcry.yaml", environment: ["PGPASSWORD": "pw"])
        #expect(config.database == "postgres://outcry:pw@db.internal:5432/outcry")
        #expect(config.warnings.isEmpty)
        let sqlite = try ConfigLoader.parse("sources:\n  - name: a\n    url: https://example.org/feed\n", path: "/etc/outcry/outcry.yaml", environment: [:])
        #expect(sqlite.database == nil)
    }

    @Test func aPasswordInClearWarnsAndANonPostgresAddressIsAProblem() throws {
        let clear = try ConfigLoader.parse("""
            database: postgres://outcry:hunter2@db.internal/outcry
            sources:
              - name: a
                url: https://example.org/feed
            """, path: "/etc/outcry/outcry.yaml", environment: [:])
        #expect(clear.warnings.contains { $0.message.contains("password written in clear") && $0.line == 1 })
        do {
            _ = try ConfigLoader.parse("""
                database: mysql://root@localhost/outcry
                sources:
                  - name: a
                    url: https://example.org/feed
                """, path: "/etc/outcry/outcry.yaml", environment: [:])
            Issue.record("a mysql:// address was accepted")
        } catch let error as ConfigError {
            #expect(error.problems.contains { $0.line == 1 && $0.message.contains("not a PostgreSQL address") })
        }
    }
}
