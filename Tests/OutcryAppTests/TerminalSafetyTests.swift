import Foundation
import Logging
@testable import OutcryApp
import Testing

/// Issue 13 item 18: a feed title with ESC[2J, an OSC sequence or U+202E must not reach a terminal
/// raw through any table, view or log line of the CLI.
@Suite struct TerminalSafetyTests {
    static let hostile = "\u{1B}[2J\u{1B}]0;pwned\u{07}Kestrel kettle \u{202E}gnikael\u{202C} \u{9B}31m\u{7F}\u{2066}x\u{2069}\nforged line"

    /// Whether a printed text still carries anything a terminal would act on (newlines between lines allowed).
    static func unsafeScalars(_ text: String) -> [String] {
        text.unicodeScalars.filter { $0 != "\n" && TerminalText.isUnsafe($0.value) }
            .map { "U+" + String($0.value, radix: 16, uppercase: true) }
    }

    @Test func escapesControlAndBidiCharactersVisibly() {
        let shown = TerminalText.escape(Self.hostile)
        #expect(Self.unsafeScalars(shown).isEmpty)
        #expect(!shown.contains("\n"))
        #expect(shown.hasPrefix("\\u{1B}[2J\\u{1B}]0;pwned\\u{7}Kestrel kettle \\u{202E}gnikael\\u{202C}"))
        #expect(shown.contains("\\u{9B}31m\\u{7F}\\u{2066}x\\u{2069}\\nforged line"))
        // Ordinary text, emoji and accents pass untouched; escaping twice changes nothing.
        #expect(TerminalText.escape("Café 🔥 — ok\\path") == "Café 🔥 — ok\\path")
        #expect(TerminalText.escape(shown) == shown)
        #expect(TerminalText.escapeLines("a\u{1B}\nb") == "a\\u{1B}\nb")
    }

    @Test func tableCellsAreEscaped() {
        var table = TextTable(headers: ["ID", "TITLE"], limits: [4, 200])
        table.rows.append(["1", Self.hostile])
        let text = table.render()
        #expect(Self.unsafeScalars(text).isEmpty, "\(text)")
        #expect(text.split(separator: "\n").count == 2)
    }

    @Test func logLinesAreEscapedAndStayOneLine() {
        let line = TerminalLogHandler.line(level: .warning, label: "outcry.poller", message: Self.hostile,
                                           metadata: ["source": "\(Self.hostile)"], at: Date(timeIntervalSince1970: 0))
        #expect(Self.unsafeScalars(line).isEmpty, "\(line)")
        #expect(line.filter { $0 == "\n" }.count == 1 && line.hasSuffix("\n"))
        #expect(line.hasPrefix("1970-01-01T00:00:00Z warning outcry.poller: \\u{1B}[2J"))
        #expect(OutcryLogging.level(named: "WARN") == .warning && OutcryLogging.level(named: "loud") == nil)
    }
}

/// The same through the built binary: a hostile title stored by `poll`, then read by `queue`,
/// `explain` and `sources`, and the poll's own log lines.
@Suite(.serialized, .enabled(if: outcryBinary != nil)) struct TerminalSafetyCLITests {
    /// The sample install with one social mention carrying control and bidi characters in its
    /// title, text and author name (JSON Feed may carry any of them as \u escapes).
    static func plantHostileMention(in dir: String) throws {
        let path = (dir as NSString).appendingPathComponent("feeds/social-mentions.json")
        var text = try String(contentsOfFile: path, encoding: .utf8)
        let item = """
            {
              "id": "social-hostile",
              "url": "https://social.example/@mallory/1",
              "title": "\\u001b[2J\\u001b]0;pwned\\u0007 \\u202eKestrel kettle\\u009b31m",
              "content_text": "@KestrelHome your kettle leaked and burned my hand \\u001b[2J\\u202e and support ignored me for a week. Refund now!",
              "date_published": "2026-11-22T09:00:00Z",
              "authors": [{ "name": "Mallory\\u001b]8;;https://phish.example\\u0007 \\u2066Evil", "url": "https://social.example/@mallory" }]
            },
            """
        let anchor = "\"items\": ["
        text = text.replacingOccurrences(of: anchor, with: anchor + "\n" + item)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }

    @Test func queueExplainSourcesAndPollPrintNoRawControls() async throws {
        try await withSampleInstall { dir in
            try Self.plantHostileMention(in: dir)
            let poll = try await outcry(["poll", "--log-level", "notice"], in: dir)
            #expect(poll.status == 0, "\(poll.stdout)\(poll.stderr)")
            #expect(TerminalSafetyTests.unsafeScalars(poll.stdout + poll.stderr).isEmpty)
            let queue = try await outcry(["queue"], in: dir, environment: ["COLUMNS": "400"])
            #expect(queue.status == 0)
            #expect(TerminalSafetyTests.unsafeScalars(queue.stdout).isEmpty, "\(queue.stdout)")
            #expect(queue.stdout.contains("\\u{1B}[2J"), "the hostile title is shown escaped: \(queue.stdout)")
            var explained = 0
            for id in 1...20 {
                let explain = try await outcry(["explain", String(id)], in: dir)
                guard explain.status == 0 else { continue }
                explained += 1
                #expect(TerminalSafetyTests.unsafeScalars(explain.stdout).isEmpty, "\(explain.stdout)")
            }
            #expect(explained > 5)
            let sources = try await outcry(["sources"], in: dir)
            #expect(TerminalSafetyTests.unsafeScalars(sources.stdout).isEmpty)
        }
    }
}
