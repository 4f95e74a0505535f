import Foundation
import OutcryModel
import Testing

/// Typed ids are bare numbers outside the program: in JSON, in text and when read back.
@Suite struct RecordIDTests {
    struct Typed: Codable, Equatable {
        var thread: ThreadID
        var mention: MentionID?
        var contact: ContactID?
        var outbox: [OutboxID]
    }

    struct Bare: Codable, Equatable {
        var thread: Int64
        var mention: Int64?
        var contact: Int64?
        var outbox: [Int64]
    }

    static func json(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    @Test func idsEncodeAsTheNumbersTheyWrap() throws {
        let typed = Typed(thread: ThreadID(42), mention: MentionID(7), contact: nil, outbox: [OutboxID(1), OutboxID(Int64.max)])
        let bare = Bare(thread: 42, mention: 7, contact: nil, outbox: [1, Int64.max])
        #expect(try Self.json(typed) == #"{"mention":7,"outbox":[1,9223372036854775807],"thread":42}"#)
        #expect(try Self.json(typed) == Self.json(bare))
        #expect(try Self.json(ThreadID(-3)) == "-3")
        // A whole record: the same bytes as when its id was an Int64.
        let thread = MentionThread(id: ThreadID(12), key: "k", severity: .p2, title: "t", sourceName: "s", channel: .feed,
                                   openedAt: Date(timeIntervalSince1970: 0), lastMentionAt: Date(timeIntervalSince1970: 0))
        #expect(try Self.json(thread).contains(#""id":12,"#))
    }

    @Test func idsDecodeFromBareNumbersOnly() throws {
        let decoded = try JSONDecoder().decode(Typed.self, from: Data(#"{"thread":42,"mention":null,"outbox":[3]}"#.utf8))
        #expect(decoded == Typed(thread: 42, mention: nil, contact: nil, outbox: [3]))
        #expect(try JSONDecoder().decode(ThreadID.self, from: Data("9".utf8)) == ThreadID(9))
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(ThreadID.self, from: Data(#""9""#.utf8)) }
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(ThreadID.self, from: Data("9.5".utf8)) }
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(ThreadID.self, from: Data("null".utf8)) }
    }

    @Test func idsPrintAsTheirNumber() {
        let id = ThreadID(42)
        #expect(id.description == "42")
        #expect("thread \(id)" == "thread 42")
        #expect(String(id) == "42")
        #expect(String(describing: Optional(id) ?? -1) == "42")
        #expect(id.rawValue == 42)
    }

    /// The grammar of `Int64(_:)`, which the CLI, the routes and the acknowledge links parsed
    /// ids with before they were typed: a negative number parses (and finds nothing).
    @Test func idsParseFromTextAsInt64Did() {
        #expect(ThreadID("42") == ThreadID(42))
        #expect(MentionID("0") == MentionID(0))
        #expect(ContactID("+7") == ContactID(7))
        #expect(ThreadID("-1") == ThreadID(-1))
        #expect(ThreadID("9223372036854775807") == ThreadID(Int64.max))
        for bad in ["", "12a", "a12", " 12", "12 ", "1.0", "0x10", "9223372036854775808", "-", "+"] {
            #expect(ThreadID(bad) == nil, "\(bad)")
            #expect((ThreadID(bad) == nil) == (Int64(bad) == nil), "\(bad)")
        }
    }

    @Test func idsOrderAndHashByTheirNumber() {
        let ids: [ThreadID] = [5, 1, 3, 1]
        #expect(ids.sorted() == [1, 1, 3, 5])
        #expect(Set(ids).count == 3)
        #expect(ThreadID(2) < ThreadID(10))
        #expect(ids.max() == 5)
    }
}
