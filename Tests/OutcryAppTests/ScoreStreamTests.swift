import Foundation
import OutcryScoring
import Testing

@testable import OutcryApp

/// `outcry score`'s stream (byte-level JSON lines, blocks scored on every core) against the way
/// the command read before it, line by line: `readLine`, blank lines skipped, each line through
/// `ScoreLine.process`. The answers must be the same bytes, bad lines included.
@Suite struct ScoreStreamTests {
    static let scorer = Scorer(model: .base)

    /// The command's former loop over `input`.
    static func reference(_ input: [UInt8], scorer: Scorer) -> [UInt8] {
        var out: [UInt8] = []
        var lines = input.split(separator: 0x0A, omittingEmptySubsequences: false)
        if input.last == 0x0A || input.isEmpty { lines.removeLast() }
        for (n, bytes) in lines.enumerated() {
            // readLine: the bytes as a string, invalid UTF-8 repaired.
            let line = String(decoding: bytes, as: UTF8.self)
            if line.allSatisfy({ $0.isWhitespace }) { continue }
            out += Array(ScoreLine.process(line, lineNumber: n + 1, scorer: scorer).utf8) + [0x0A]
        }
        return out
    }

    /// Lines the fast reader must decline or read exactly as JSONSerialization does.
    static let tricky: [[UInt8]] = {
        var lines: [String] = [
            "", "   ", "\t \r", "\u{00A0}", "\u{2003}\u{3000}",
            #"{"id":1,"text":"still waiting for my refund"}"#,
            #"{"id":-5,"text":"thanks, great service"}"#, #"{"id":0,"text":"ok"}"#, #"{"id":-0,"text":"ok"}"#,
            #"{"id":1.5,"text":"ok"}"#, #"{"id":1e3,"text":"ok"}"#, #"{"id":1E-2,"text":"ok"}"#, #"{"id":true,"text":"ok"}"#,
            #"{"id":false,"text":"ok"}"#, #"{"id":null,"text":"ok"}"#, #"{"id":[1,2],"text":"ok"}"#, #"{"id":{"a":1},"text":"ok"}"#,
            #"{"id":123456789012345678,"text":"ok"}"#, #"{"id":1234567890123456789012,"text":"ok"}"#, #"{"id":007,"text":"ok"}"#,
            #"{"id":"quote \" back \\ slash \/ tab \t nl \n ctl \u0001 del \u007f e \u00e9 emoji \ud83d\ude00","text":"ok"}"#,
            #"{"text":"no id at all, the worst"}"#, #"{"id":"x"}"#, #"{"id":"x","text":5}"#, #"{"id":"x","text":null}"#,
            #"{"id":"x","text":["a"]}"#, #"{"id":"dup","text":"first","text":"second terrible"}"#, #"{"id":"dup","id":"again","text":"ok"}"#,
            #"{"id":"esc","te\u0078t":"escaped key, awful"}"#, #"{"id":"lone","text":"lone \ud800 surrogate"}"#,
            #"{"id":"lone2","text":"lone low \udc00"}"#, #"{"id":"nul","text":"nul \u0000 inside"}"#,
            #"{"id":"lang","text":"service nul, très déçu","lang":"fr"}"#, #"{"id":"lang2","text":"awful","lang":5}"#,
            #"{"id":"lang3","text":"awful","lang":null}"#, #"{"id":"lang4","text":"awful","lang":"EN"}"#,
            #"{"id":"extra","text":"awful","author":{"name":"a","n":[1,2,{"x":null}]},"source":"s","n":-1.5e10}"#,
            #"  {"id":"spaces","text":"awful"}  "#, "{\"id\":\"crlf\",\"text\":\"awful\"}\r", "\t{\"id\":\"tabs\",\t\"text\":\t\"ok\"}\t",
            #"{"id":"trail","text":"ok"} x"#, #"{"id":"trail2","text":"ok"}}"#, #"{"id":"open","text":"ok""#, #"{"id":"comma","text":"ok",}"#,
            #"[1,2]"#, #""just a string""#, "42", "null", "not json at all", "{", "}", "{}",
            #"{"id":"deep","text":"ok","x":"# + String(repeating: "[", count: 70) + String(repeating: "]", count: 70) + "}",
            #"{"id":"big","text":"ok","x":1e999}"#, #"{"id":"tiny","text":"ok","x":-1e-999}"#,
            "{\"id\":\"ctl\",\"text\":\"raw tab\tinside\"}", #"{"id":"bom","text":"ok"}"#.replacingOccurrences(of: "{", with: "\u{FEFF}{"),
            #"{"id":"uni","text":"emoji 😡😡 and ünïcödé, flags 🇬🇧, zwj 👩‍💻"}"#,
            #"{"id":"long","text":""# + String(repeating: "terrible service again ", count: 400) + #""}"#,
        ]
        lines.append("{\"id\":\"x\",\"text\":\"" + String(repeating: "a", count: 70_000) + "\"}")
        var bytes = lines.map { Array($0.utf8) }
        // Invalid UTF-8: inside the text, and a line that is nothing else.
        bytes.append(Array(#"{"id":"bad","text":"caf"#.utf8) + [0xE9] + Array(#" awful"}"#.utf8))
        bytes.append([0xFF, 0xFE, 0x41])
        bytes.append(Array(#"{"id":"bad2","text":"ok"#.utf8) + [0xC0, 0x80] + Array(#""}"#.utf8))
        return bytes
    }()

    static func input() throws -> [UInt8] {
        let sample = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("OutcryScoringTests/Fixtures/score-sample.jsonl")
        var bytes = [UInt8](try Data(contentsOf: sample))
        for line in tricky { bytes += line + [0x0A] }
        bytes += Array(#"{"id":"last","text":"no line feed after me, awful"}"#.utf8)
        return bytes
    }

    @Test func blocksMatchTheLineByLineWay() throws {
        let input = try Self.input()
        for scorer in [Self.scorer, Scorer()] {
            let expected = Self.reference(input, scorer: scorer)
            for workers in [1, 2, 3] {
                var outputs: [[UInt8]] = []
                let last = input.withUnsafeBufferPointer {
                    ScoreStream.score($0, firstLine: 1, scorer: scorer, workers: workers, into: &outputs)
                }
                #expect(last == input.split(separator: 0x0A, omittingEmptySubsequences: false).count)
                let got = outputs.flatMap { $0 }
                #expect(got == expected, "workers \(workers): \(Self.firstDifference(got, expected))")
            }
        }
    }

    /// The whole stream through file descriptors, with blocks small enough that lines straddle
    /// reads and a long line grows the block, buffered and line by line.
    @Test func streamThroughFilesMatches() throws {
        let input = try Self.input()
        let expected = Self.reference(input, scorer: Self.scorer)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("outcry-score-stream-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let inPath = dir.appendingPathComponent("in.jsonl").path
        try Data(input).write(to: URL(fileURLWithPath: inPath))
        for (blockSize, lineBuffered) in [(1 << 20, false), (4096, false), (97, false), (97, true)] {
            let outPath = dir.appendingPathComponent("out-\(blockSize)-\(lineBuffered).jsonl").path
            let fin = open(inPath, O_RDONLY)
            let fout = open(outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
            #expect(fin >= 0 && fout >= 0)
            try ScoreStream.run(input: fin, output: fout, scorer: Self.scorer, lineBuffered: lineBuffered, workers: 2, blockSize: blockSize)
            close(fin)
            close(fout)
            let got = [UInt8](try Data(contentsOf: URL(fileURLWithPath: outPath)))
            #expect(got == expected, "block \(blockSize), line-buffered \(lineBuffered): \(Self.firstDifference(got, expected))")
        }
    }

    /// The eight-bytes-at-a-time line feed count (the line numbers of error answers depend on
    /// it) against counting byte by byte: every length and offset up to 40 bytes, and random
    /// bytes with line feeds, 0x0A's neighbours and high bytes.
    @Test func lineFeedsCountAsBytes() {
        var rng = SystemRandomNumberGenerator()
        let alphabet: [UInt8] = [0x0A, 0x0A, 0x0B, 0x09, 0x8A, 0x0A | 0x80, 0xFF, 0x00, 0x41, 0x7F, 0x80, 0x1A]
        for trial in 0..<3_000 {
            let n = trial < 40 ? trial : Int.random(in: 0...300, using: &rng)
            let bytes = (0..<n).map { _ in alphabet.randomElement(using: &rng)! }
            let from = n > 0 ? Int.random(in: 0...min(n, 9), using: &rng) : 0
            bytes.withUnsafeBufferPointer { b in
                let part = UnsafeBufferPointer(rebasing: b[from...])
                #expect(ScoreStream.lineFeeds(part) == part.filter { $0 == 0x0A }.count)
            }
        }
        let all = [UInt8](repeating: 0x0A, count: 64) + [UInt8](repeating: 0x41, count: 64)
        all.withUnsafeBufferPointer { #expect(ScoreStream.lineFeeds($0) == 64) }
    }

    static func firstDifference(_ a: [UInt8], _ b: [UInt8]) -> String {
        let la = a.split(separator: 0x0A), lb = b.split(separator: 0x0A)
        for k in 0..<max(la.count, lb.count) {
            let x = k < la.count ? String(decoding: la[k], as: UTF8.self) : "(none)"
            let y = k < lb.count ? String(decoding: lb[k], as: UTF8.self) : "(none)"
            if x != y { return "answer \(k + 1):\n got \(x.prefix(400))\nwant \(y.prefix(400))" }
        }
        return "same"
    }
}
