import Foundation
import Testing
@testable import OutcryStore

/// The JSON rows bulk statements bind: every string escaped as JSON requires, and values made
/// ahead (a poll's mention values) the same text as values written in place.
@Suite struct BulkRowsTests {
    static let awkward = ["", "plain", "quote \" and \\ backslash", "tab\there\nnewline\u{1}\u{1f}", "\\\"", "émoji 🙂 中文", "end\\"]

    @Test func stringsAreValidJSONThatDecodesToThemselves() throws {
        var rows = BulkRows(width: Self.awkward.count + 1)
        rows.beginRow()
        for text in Self.awkward { rows.text(text) }
        rows.text(nil)
        rows.endRow()
        let chunk = try #require(rows.chunks.first)
        let decoded = try JSONSerialization.jsonObject(with: Data(chunk.utf8)) as? [[Any]]
        let row = try #require(decoded?.first)
        #expect(row.dropLast().compactMap { $0 as? String } == Self.awkward)
        #expect(row.last is NSNull)
    }

    @Test func aFragmentWrittenAheadIsTheSameRowAsValuesWrittenInPlace() {
        func write(_ rows: inout BulkRows) {
            rows.text("a \"b\"")
            rows.integer(-42)
            rows.real(1.5)
            rows.text(nil)
            rows.integer(nil as Int64?)
        }
        var direct = BulkRows(width: 7)
        var ahead = BulkRows(width: 7)
        for _ in 0..<3 {
            direct.beginRow()
            direct.text("first")
            write(&direct)
            direct.integer(7)
            direct.endRow()

            ahead.beginRow()
            ahead.text("first")
            ahead.values(BulkRows.fragment { write(&$0) })
            ahead.integer(7)
            ahead.endRow()
        }
        #expect(ahead.chunks == direct.chunks)
        var leading = BulkRows(width: 6)
        leading.beginRow()
        leading.values(BulkRows.fragment { write(&$0) })
        leading.integer(7)
        leading.endRow()
        #expect(leading.chunks == ["[[\"a \\\"b\\\"\",-42,1.5,null,null,7]]"])
    }
}
