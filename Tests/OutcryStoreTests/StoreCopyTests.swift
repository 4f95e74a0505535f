import Foundation
import OutcryModel
import OutcryTestSupport
import SQLKit
import Testing
@testable import OutcryStore

/// `outcry db copy`: an SQLite installation moved into PostgreSQL keeps every row, and a second
/// run changes nothing.
@Suite struct StoreCopyTests {
    /// Every table's rows as text lines, sorted, to compare two databases whatever their engine.
    static func snapshot(_ store: Store) async throws -> [String: [String]] {
        var tables: [String: [String]] = [:]
        for table in try await store.tableNames() where table != "schema_migrations" {
            let columns = try await store.copyColumnsForTest(table)
            let rows = try await store.sql.raw("SELECT * FROM \(ident: table)").all()
            tables[table] = try rows.map { row in
                try columns.map { column, type in
                    switch type {
                    case "bigint": return try row.decode(column: column, as: Int64?.self).map { String($0) } ?? "NULL"
                    case "double precision": return try row.decode(column: column, as: Double?.self).map { String($0) } ?? "NULL"
                    case "bytea": return try row.decode(column: column, as: Data?.self).map { $0.base64EncodedString() } ?? "NULL"
                    default: return try row.decode(column: column, as: String?.self) ?? "NULL"
                    }
                }.joined(separator: "|")
            }.sorted()
        }
        return tables
    }

    @Test func anSQLiteInstallationCopiesIntoPostgreSQLWholeAndAgainWithoutChange() async throws {
        try await withTemporaryStore(.sqlite) { source, dir in
            // A little of everything: sources, mentions, threads, events, outbox, contacts and their
            // identifiers and links, labels, a scorer model (bytes), users and sessions.
            try await source.syncSources([forum], now: t0)
            _ = try await importing(source, [ada, charles])
            _ = try await source.commitPoll(source: "forum", mentions: [item("a"), item("b", severity: .p2)], success: success(), now: t0)
            _ = try await source.commitPoll(source: "forum", mentions: [item("c", severity: .p1), item("d", inReplyTo: "b")], success: success(t0 + 600), now: t0 + 600)
            let mentionID = try #require(try await source.sql.raw("SELECT id FROM mentions ORDER BY id LIMIT 1").first()?.decode(column: "id", as: MentionID.self))
            try await source.addLabel(LabelRecord(mentionID: mentionID, complaint: true, urgency: [.safety], by: "ana", at: t0))
            try await source.saveScorerModel(ScorerModelRecord(version: 1, createdAt: t0, labelCount: 1, labelsThrough: 1, report: "{}", accepted: true, model: [0, 1, 2, 255]))
            let user = try await source.addUser(name: "Ana", role: "admin", passwordHash: "$2b$04$hash", at: t0)
            try await source.createSession(userID: user.id, token: String(repeating: "c", count: 64), csrfToken: "csrf", expiresAt: t0 + 3600, now: t0)

            let url = try await TestPostgres.database()
            let target = try await Store.open(postgres: url, directory: dir)
            let counts = try await source.copy(to: target, batchSize: 3)
            #expect(counts.contains { $0.table == "mentions" && $0.rows == 4 })
            let before = try await Self.snapshot(source)
            var after = try await Self.snapshot(target)
            #expect(after == before)
            #expect(!(before["threads"] ?? []).isEmpty && !(before["contact_identifiers"] ?? []).isEmpty)

            // Again: the same rows, none doubled.
            _ = try await source.copy(to: target, batchSize: 2)
            after = try await Self.snapshot(target)
            #expect(after == before)

            // The copy works as a store: the queue reads the same, and new rows get new ids.
            #expect(try await target.openThreads().map(\.id) == (try await source.openThreads().map(\.id)))
            #expect(try await target.activeScorerModel()?.model == [0, 1, 2, 255])
            let maxThread = try #require(try await target.sql.raw("SELECT MAX(id) AS id FROM threads").first()?.decode(column: "id", as: Int64.self))
            _ = try await target.commitPoll(source: "forum", mentions: [item("e", severity: .p3)], success: success(t0 + 1200), now: t0 + 1200)
            let newest = try #require(try await target.sql.raw("SELECT MAX(id) AS id FROM threads").first()?.decode(column: "id", as: Int64.self))
            #expect(newest > maxThread)
            try await target.close()
        }
    }
}

extension Store {
    /// Test help: the columns of a table with their type, named as PostgreSQL would name them.
    func copyColumnsForTest(_ table: String) async throws -> [(String, String)] {
        if dialect.backend == .postgres {
            return try await sql.raw("""
                SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = \(bind: table) ORDER BY ordinal_position
                """).all().map { (try $0.decode(column: "column_name", as: String.self), try $0.decode(column: "data_type", as: String.self)) }
        }
        return try await sql.raw("SELECT name, type FROM pragma_table_info(\(bind: table)) ORDER BY cid").all().map { row in
            let type = try row.decode(column: "type", as: String.self).uppercased()
            let mapped = type.contains("INT") ? "bigint" : type.contains("REAL") ? "double precision" : type.contains("BLOB") ? "bytea" : "text"
            return (try row.decode(column: "name", as: String.self), mapped)
        }
    }
}
