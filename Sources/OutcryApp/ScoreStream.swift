import Dispatch
import Foundation
import OutcryModel
import OutcryParse
import OutcryScoring

/// `outcry score`'s stream: JSON lines in, one scored JSON line out per line that is not blank,
/// in the same order (DESIGN.md's contract; `ScoreLine` words each line).
///
/// Lines are read as bytes: `JSONObjectLine` picks out `id`, `text` and `lang` with the fast JSON
/// scanner, the scorer reads the text's UTF-8 in place and `ScoreLine.encode(id:_:into:)` writes
/// the answer's bytes. A line that scanner does not vouch for (bad JSON, an unusual `id`, a
/// repeated member, invalid UTF-8) goes the general way, `ScoreLine.process`, which gives the same
/// answer for every line the fast way takes (the tests hold the two equal). Blocks of lines are
/// cut at line ends and scored on every core, and the answers are written in input order.
public enum ScoreStream {
    /// Input is read in blocks of this many bytes (a longer line grows the block).
    public static let defaultBlockSize = 1 << 20
    /// A block shorter than this is scored on one thread.
    static let parallelMinimum = 16 << 10

    /// Scores `input` (a file descriptor, read to its end) to `output`. `lineBuffered` writes
    /// each answer as soon as it is made, one line at a time; otherwise answers are written per
    /// block read. Throws on a read or write error.
    public static func run(
        input: Int32, output: Int32, scorer: Scorer, lineBuffered: Bool,
        workers: Int = ProcessInfo.processInfo.activeProcessorCount, blockSize: Int = defaultBlockSize
    ) throws {
        var block = [UInt8](repeating: 0, count: max(blockSize, 16))
        var filled = 0
        var lineNumber = 0
        var eof = false
        var outputs: [[UInt8]] = []
        // A block's answers are written on another thread while the next block is read and
        // scored (into the other set of buffers); the write before must end first.
        var spare: [[UInt8]] = []
        let writer = DispatchQueue(label: "outcry.score.write")
        let writing = DispatchGroup()
        let written = WriteResult()
        defer { writing.wait() }
        while !eof {
            if filled == block.count { block.append(contentsOf: [UInt8](repeating: 0, count: block.count)) }
            let got = block.withUnsafeMutableBytes { b in
                read(input, b.baseAddress! + filled, b.count - filled)
            }
            if got < 0 {
                if errno == EINTR { continue }
                throw StreamError("cannot read standard input: \(String(cString: strerror(errno)))")
            }
            if got == 0 { eof = true } else { filled += got }
            // The complete lines in the block (all of it at the end of the input).
            let end: Int
            if eof {
                end = filled
            } else {
                var k = filled
                while k > 0 && block[k - 1] != 0x0A { k -= 1 }
                end = k
            }
            if end == 0 { continue }
            if lineBuffered {
                var reader = JSONObjectLine(keys: keys)
                var out: [UInt8] = []
                let workspace = ScoreWorkspace()
                try block.withUnsafeBufferPointer { b in
                    var start = 0
                    while start < end {
                        let stop = lineEnd(b, from: start, end: end)
                        lineNumber += 1
                        out.removeAll(keepingCapacity: true)
                        line(UnsafeBufferPointer(rebasing: b[start..<stop]), number: lineNumber, scorer: scorer, reader: &reader, into: &out, workspace: workspace)
                        if !out.isEmpty { try writeAll(output, out) }
                        start = stop + 1
                    }
                }
            } else {
                lineNumber = block.withUnsafeBufferPointer { b in
                    score(UnsafeBufferPointer(rebasing: b[0..<end]), firstLine: lineNumber + 1, scorer: scorer, workers: workers, into: &outputs)
                }
                writing.wait()
                if let error = written.error { throw error }
                let ready = outputs
                swap(&outputs, &spare)
                writer.async(group: writing) {
                    do {
                        for o in ready where !o.isEmpty { try writeAll(output, o) }
                    } catch {
                        written.error = error
                    }
                }
            }
            // Keep the incomplete last line for the next read.
            let rest = filled - end
            if rest > 0 {
                block.withUnsafeMutableBufferPointer { b in
                    _ = memmove(b.baseAddress!, b.baseAddress! + end, rest)
                }
            }
            filled = rest
        }
        writing.wait()
        if let error = written.error { throw error }
    }

    /// The writer thread's error, read after waiting for it.
    final class WriteResult: @unchecked Sendable {
        var error: (any Error)?
    }

    /// Scores whole lines of `data` (the last one may lack its line feed): each answer line
    /// (with its line feed) goes to `outputs`, in order, in as many pieces as the work was cut
    /// into. Returns the number of the last line read (`firstLine - 1` plus the lines in `data`).
    public static func score(
        _ data: UnsafeBufferPointer<UInt8>, firstLine: Int, scorer: Scorer, workers: Int, into outputs: inout [[UInt8]]
    ) -> Int {
        let n = data.count
        // Pieces end at line feeds; several per worker, so a worker slowed by other work on the
        // machine does not hold up the block.
        let pieces = workers > 1 && n >= parallelMinimum ? workers * 4 : 1
        var bounds = [0]
        for p in 1..<pieces {
            var k = max(n * p / pieces, bounds[bounds.count - 1])
            while k < n && data[k] != 0x0A { k += 1 }
            if k < n { k += 1 }
            if k > bounds[bounds.count - 1] && k < n { bounds.append(k) }
        }
        bounds.append(n)
        let count = bounds.count - 1
        // Each piece's first line number.
        var firsts = [firstLine]
        for p in 0..<count {
            var lines = lineFeeds(UnsafeBufferPointer(rebasing: data[bounds[p]..<bounds[p + 1]]))
            if p == count - 1 && bounds[p + 1] > bounds[p] && data[bounds[p + 1] - 1] != 0x0A { lines += 1 }
            firsts.append(firsts[p] + lines)
        }
        if outputs.count != count { outputs = Array(repeating: [], count: count) }
        for p in 0..<count {
            outputs[p].removeAll(keepingCapacity: true)
            // Room for the answers (about ten bytes out per byte in with the model's reasons), so
            // that the output does not grow by copying while it is written.
            outputs[p].reserveCapacity(12 * (bounds[p + 1] - bounds[p]) + 4096)
        }
        outputs.withUnsafeMutableBufferPointer { buffers in
            // Each piece reads its own part of `data` and writes only its own output.
            let shared = Pieces(data: data, outs: buffers)
            let work: @Sendable (Int) -> Void = { [bounds, firsts] p in
                var reader = JSONObjectLine(keys: keys)
                let workspace = ScoreWorkspace()
                var start = bounds[p]
                var number = firsts[p]
                let end = bounds[p + 1]
                while start < end {
                    let stop = lineEnd(shared.data, from: start, end: end)
                    line(
                        UnsafeBufferPointer(rebasing: shared.data[start..<stop]), number: number, scorer: scorer, reader: &reader,
                        into: &shared.outs[p], workspace: workspace)
                    number += 1
                    start = stop + 1
                }
            }
            if count == 1 { work(0) } else { DispatchQueue.concurrentPerform(iterations: count, execute: work) }
        }
        return firsts[count] - 1
    }

    /// The line feeds in `b`, eight bytes at a time (this runs on one thread before the block's
    /// lines are scored on all of them).
    static func lineFeeds(_ b: UnsafeBufferPointer<UInt8>) -> Int {
        guard let base = b.baseAddress else { return 0 }
        var count = 0
        var k = 0
        let low: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
        while k + 8 <= b.count {
            // A byte of x is zero exactly where the input byte is a line feed; the high bit of
            // each byte of `nonzero` is set where it is not (exact: no carries across bytes).
            let x = UnsafeRawPointer(base + k).loadUnaligned(as: UInt64.self) ^ 0x0A0A_0A0A_0A0A_0A0A
            let nonzero = (((x & low) &+ low) | x) & ~low
            count += 8 - nonzero.nonzeroBitCount
            k += 8
        }
        while k < b.count { if base[k] == 0x0A { count += 1 }; k += 1 }
        return count
    }

    static let keys = ["id", "text", "lang"]

    /// The block and the pieces' outputs, shared by the threads of one block: piece `p` reads
    /// its own lines and writes only `outs[p]`.
    struct Pieces: @unchecked Sendable {
        let data: UnsafeBufferPointer<UInt8>
        let outs: UnsafeMutableBufferPointer<[UInt8]>
    }

    @inline(__always) static func lineEnd(_ b: UnsafeBufferPointer<UInt8>, from start: Int, end: Int) -> Int {
        guard start < end else { return end }
        if let p = memchr(b.baseAddress! + start, 0x0A, end - start) {
            return start + UnsafeRawPointer(b.baseAddress! + start).distance(to: UnsafeRawPointer(p))
        }
        return end
    }

    /// One line's answer (with its line feed) onto `out`; nothing for a blank line.
    static func line(
        _ l: UnsafeBufferPointer<UInt8>, number: Int, scorer: Scorer, reader: inout JSONObjectLine, into out: inout [UInt8],
        workspace: ScoreWorkspace
    ) {
        var k = 0
        while k < l.count && (l[k] == 0x20 || (l[k] >= 0x09 && l[k] <= 0x0D)) { k += 1 }
        if k == l.count { return }
        if l[k] == UInt8(ascii: "{") && reader.read(l) && reader.kind(1) == .string {
            let id = reader.kind(0)
            if id != .other {
                let lang: String? = reader.kind(2) == .string ? (reader.withValue(2) { String(decoding: $0, as: UTF8.self) }) : nil
                // The answer is written straight from the scorer's figures and reasons (no `Score`).
                func answer(_ id: UnsafeBufferPointer<UInt8>) {
                    reader.withValue(1) { scorer.answer(utf8: $0, language: lang, id: id, into: &out, workspace: workspace) }
                }
                switch id {
                case .integer:
                    reader.withValue(0) { answer($0) }
                case .string:
                    var quoted: [UInt8] = []
                    reader.withValue(0) { ScoreLine.appendString(utf8: $0, into: &quoted) }
                    quoted.withUnsafeBufferPointer { answer($0) }
                default:
                    let null: StaticString = "null"
                    answer(UnsafeBufferPointer(start: null.utf8Start, count: 4))
                }
                out.append(0x0A)
                return
            }
        }
        // The general way: as `readLine` gave it, a string with invalid UTF-8 repaired.
        let text = String(decoding: l, as: UTF8.self)
        if text.allSatisfy({ $0.isWhitespace }) { return }
        var answer = ScoreLine.process(text, lineNumber: number, scorer: scorer)
        answer.withUTF8 { out.append(contentsOf: $0) }
        out.append(0x0A)
    }

    static func writeAll(_ fd: Int32, _ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { b in
            var done = 0
            while done < b.count {
                let w = write(fd, b.baseAddress! + done, b.count - done)
                if w < 0 {
                    if errno == EINTR { continue }
                    throw StreamError("cannot write standard output: \(String(cString: strerror(errno)))")
                }
                done += w
            }
        }
    }

    /// A read or write error on the stream.
    public struct StreamError: Error, CustomStringConvertible {
        public var description: String
        init(_ description: String) { self.description = description }
    }
}
