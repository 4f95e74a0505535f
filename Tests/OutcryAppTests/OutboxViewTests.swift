import Foundation
import OutcryApp
import OutcryModel
import Testing

@Suite struct OutboxViewTests {
    /// A receiver's error text (a remote server's words) cannot move the cursor or break the
    /// table: control characters are escaped and line breaks become spaces, one row per message.
    @Test func anErrorFromAServerStaysOneEscapedRow() {
        let t0 = Date(timeIntervalSince1970: 1_795_000_000)
        let messages = [
            OutboxMessage(id: 7, threadID: 3, kind: "thread.opened", receiver: "hook", idempotencyKey: "k", payload: "{}", status: .dead,
                          attempts: 4, nextAttemptAt: t0, lastError: "HTTP 400: body rejected\n\u{1B}[2J\u{1B}]0;owned\u{07}"),
            OutboxMessage(id: 8, threadID: nil, kind: "crisis", receiver: "comms", idempotencyKey: "c", payload: "{}", status: .pending,
                          attempts: 0, nextAttemptAt: t0, lastError: nil),
        ]
        let text = OutboxView.table(messages)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 4 && lines[3].isEmpty, "\(text)")
        #expect(lines[0].hasPrefix("ID") && lines[0].hasSuffix("LAST ERROR"))
        #expect(!text.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 })
        #expect(lines[1].hasPrefix("7 ") && lines[1].contains(" hook ") && lines[1].contains(" dead ") && lines[1].contains("HTTP 400: body rejected "))
        #expect(lines[2].hasPrefix("8 ") && lines[2].contains(" - ") && lines[2].contains(" pending ") && lines[2].contains("2026-11-18T"))
    }
}
