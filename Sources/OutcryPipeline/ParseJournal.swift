import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Crash-loop protection for parsers: before a source's body is parsed, an entry naming the
/// source and the body's content hash is written to this process's journal file in `parsing/`
/// in the data directory, and blanked when the parse returns. An entry still there when the next
/// polling process starts means that parse killed the process (a crash, an abort, the kernel's
/// OOM killer): the source's content is quarantined until it changes, instead of crashing every
/// pass and every restart.
///
/// One file a process, of fixed-size slots (one a parse in flight, reused): a file created and
/// removed per parse cost a fifth of a polling pass's time in the file system's inode
/// allocation. No fsync: what it guards against is the process dying, not the machine; the page
/// cache keeps the file across a process's death.
public final class ParseJournal: Sendable {
    public let directory: String
    private let state = Mutex(State())

    private struct State {
        var fd: Int32 = -1
        var free: [Int] = []
        var slots = 0
    }

    /// Bytes a slot: an entry's JSON, padded with spaces. An entry that does not fit (a source
    /// name of kilobytes) is not journaled.
    static let slotSize = 1024

    public init(dataDirectory: String) {
        directory = (dataDirectory as NSString).appendingPathComponent("parsing")
    }

    deinit {
        state.withLock { if $0.fd >= 0 { close($0.fd) } }
    }

    /// A parse that died: the source and the content hash it was parsing.
    public struct Entry: Sendable, Equatable, Codable {
        public var source: String
        public var contentHash: String
        public var startedAt: Date
    }

    /// Records that `source`'s body with `contentHash` is being parsed; call ``end(_:)`` with
    /// what this returns after.
    public func begin(source: String, contentHash: String, now: Date) -> Int? {
        guard var bytes = try? JSONEncoder().encode(Entry(source: source, contentHash: contentHash, startedAt: now)).map({ $0 }),
              bytes.count < Self.slotSize else { return nil }
        bytes += [UInt8](repeating: UInt8(ascii: " "), count: Self.slotSize - 1 - bytes.count) + [UInt8(ascii: "\n")]
        return state.withLock { state -> Int? in
            if state.fd < 0 {
                if !FileManager.default.fileExists(atPath: directory) {
                    try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                             attributes: [.posixPermissions: 0o700])
                }
                state.fd = open(file, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
                guard state.fd >= 0 else { return nil }
            }
            let slot = state.free.popLast() ?? { defer { state.slots += 1 }; return state.slots }()
            guard pwrite(state.fd, bytes, bytes.count, off_t(slot * Self.slotSize)) == bytes.count else {
                state.free.append(slot)
                return nil
            }
            return slot
        }
    }

    /// The parse finished (well or with an error it reported): blank its entry.
    public func end(_ slot: Int?) {
        guard let slot else { return }
        let blank = [UInt8](repeating: UInt8(ascii: " "), count: Self.slotSize - 1) + [UInt8(ascii: "\n")]
        state.withLock { state in
            _ = pwrite(state.fd, blank, blank.count, off_t(slot * Self.slotSize))
            state.free.append(slot)
        }
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
            if let data = FileManager.default.contents(atPath: path) {
                entries += Self.entries(in: Array(data))
            }
            unlink(path)
        }
        return entries
    }

    /// The entries of a journal file: one a slot, blank slots skipped (a file of an earlier
    /// version holds one entry and no padding).
    static func entries(in bytes: [UInt8]) -> [Entry] {
        stride(from: 0, to: bytes.count, by: slotSize).compactMap { start in
            let slot = bytes[start..<min(start + slotSize, bytes.count)]
            guard slot.contains(where: { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\n") && $0 != 0 }) else { return nil }
            return try? JSONDecoder().decode(Entry.self, from: Data(slot))
        }
    }

    /// This journal's file: the process first (``takeUnfinished()`` reads it), then a number of
    /// its own, so two journals of one process never share slots.
    private var file: String {
        (directory as NSString).appendingPathComponent("\(getpid()).\(instance).parsing")
    }
    private let instance = UInt32.random(in: 0...UInt32.max)
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
