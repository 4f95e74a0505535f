import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Crash-loop protection for parsers: before a source's body is parsed, a small file naming
/// the source and the body's content hash is written to `parsing/` in the data directory, and
/// removed when the parse returns. A file still there when the next polling process starts
/// means that parse killed the process (a crash, an abort, the kernel's OOM killer): the source's
/// content is quarantined until it changes, instead of crashing every pass and every restart.
///
/// No fsync: what it guards against is the process dying, not the machine; the page cache keeps
/// the file across a process's death.
public struct ParseJournal: Sendable {
    public let directory: String

    public init(dataDirectory: String) {
        directory = (dataDirectory as NSString).appendingPathComponent("parsing")
    }

    /// A parse that died: the source and the content hash it was parsing.
    public struct Entry: Sendable, Equatable, Codable {
        public var source: String
        public var contentHash: String
        public var startedAt: Date
    }

    /// Records that `source`'s body with `contentHash` is being parsed; call ``end(_:)`` after.
    public func begin(source: String, contentHash: String, now: Date) -> String? {
        let path = file(for: source)
        guard let data = try? JSONEncoder().encode(Entry(source: source, contentHash: contentHash, startedAt: now)) else { return nil }
        if !FileManager.default.fileExists(atPath: directory) {
            try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        }
        // open/write/close: `FileManager.createFile` writes a temporary file, fsyncs it and renames
        // it, which made this journal a tenth of a polling pass's time.
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        let written = data.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        guard written == data.count else {
            unlink(path)
            return nil
        }
        return path
    }

    /// The parse finished (well or with an error it reported): forget it.
    public func end(_ path: String?) {
        if let path { unlink(path) }
    }

    /// The parses that a previous process started and never finished, removed from the journal.
    /// The caller quarantines them before polling starts. Parses of other workers still running
    /// on this data directory are theirs, not crashes: each file names its process.
    public func takeUnfinished() -> [Entry] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return [] }
        var entries: [Entry] = []
        let me = Int32(getpid())
        for name in names.sorted() where name.hasSuffix(".parsing") {
            if let dot = name.firstIndex(of: "."), let pid = Int32(name[..<dot]), pid != me, kill(pid, 0) == 0 || errno == EPERM {
                continue  // a live worker is parsing it now
            }
            let path = (directory as NSString).appendingPathComponent(name)
            if let data = FileManager.default.contents(atPath: path), let entry = try? JSONDecoder().decode(Entry.self, from: data) {
                entries.append(entry)
            }
            unlink(path)
        }
        return entries
    }

    private func file(for source: String) -> String {
        (directory as NSString).appendingPathComponent("\(getpid()).\(ContentHash.hex(Array(source.utf8))).parsing")
    }
}

/// A fast 64-bit hash of a body (eight bytes at a time), to tell whether content changed.
/// Not for anything adversarial: whoever could forge a collision controls the content anyway.
public enum ContentHash {
    public static func hex(_ bytes: [UInt8]) -> String {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(bytes.count)
        bytes.withUnsafeBytes { raw in
            var i = 0
            let n = raw.count
            while i + 8 <= n {
                let w = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                h = (h ^ w) &* 0xFF51_AFD7_ED55_8CCD
                h ^= h >> 29
                i += 8
            }
            var tail: UInt64 = 0
            var shift: UInt64 = 0
            while i < n {
                tail |= UInt64(raw[i]) << shift
                shift += 8
                i += 1
            }
            h = (h ^ tail) &* 0xC4CE_B9FE_1A85_EC53
            h ^= h >> 33
        }
        let digits = String(h, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
