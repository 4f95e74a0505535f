import Foundation
import Logging
import OutcryContacts
import OutcryModel
import OutcryScoring
import OutcryStore
import ServiceLifecycle

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What importing a contacts file did: the store's counts and every rejected row with its line.
public struct ContactFileImportReport: Sendable, ContactImportReporting {
    public var upserted = ContactUpsertResult()
    public var rejections: [ContactRejection] = []
    /// The file's size.
    public var size: Int64 = 0
    /// CRM ids that came again in the file (the first 100), and how many repeats there were.
    public var repeats: [ContactRepeat] = []
    public var repeatCount = 0

    public var summary: String {
        let fields = rejections.filter(\.fieldOnly).count
        return "\(upserted.inserted) new, \(upserted.updated) updated, \(rejections.count - fields) rejected"
            + (fields > 0 ? ", \(fields) unusable field\(fields == 1 ? "" : "s") left out" : "")
            + (upserted.suppressed > 0 ? ", \(upserted.suppressed) skipped (erased people)" : "")
    }
}

/// Streams a contacts file (CSV of the common CRMs, JSON lines or vCard) into the store, in one
/// transaction: a file that cannot be read leaves the contacts as they were.
///
/// ```swift
/// let report = try await ContactFileImport.run(path: "crm.csv", options: options, store: store, actor: "cli")
/// for rejection in report.rejections { print(rejection) } // line 12: bad email: "ada@" is not a valid address
/// ```
public enum ContactFileImport {
    /// Imports `path`; `progress` is called with (bytes read, file size) after each chunk.
    public static func run(
        path: String, options: ContactImportOptions, store: Store, actor: String, batchSize: Int = 2_000,
        progress: (@Sendable (Int64, Int64) -> Void)? = nil, now: Date = Date()
    ) async throws -> ContactFileImportReport {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw ContactImportError("cannot open \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var info = stat()
        let size: Int64 = fstat(fd, &info) == 0 ? Int64(info.st_size) : 0
        // The file is parsed one batch ahead of the store: while SQLite writes batch N on its
        // thread, the next batch is read and normalised on another core.
        let parser = BatchParser(
            importer: ContactImporter(reader: CountingReader(base: FileDescriptorReader(fd), progress: progress, size: size), options: options),
            batchSize: batchSize)
        return try await store.importContacts(actor: actor, source: (path as NSString).lastPathComponent, now: now) { session in
            var report = ContactFileImportReport(size: size)
            var next = Task { try parser.next() }
            do {
                while true {
                    let batch = try await next.value
                    if !batch.done { next = Task { try parser.next() } }
                    report.rejections += batch.rejections
                    report.repeats = batch.repeats
                    report.repeatCount = batch.repeatCount
                    if !batch.contacts.isEmpty { report.upserted += try await session.upsert(batch.contacts) }
                    if batch.done { break }
                }
            } catch {
                // Never return (and close the file) while a parse is still reading it.
                _ = try? await next.value
                throw error
            }
            return report
        }
    }
}

/// Reads a contacts file batch by batch for ``ContactFileImport``. Only one `next()` runs at a
/// time (each starts after the previous one's result was awaited), which is what makes the
/// unchecked `Sendable` sound.
private final class BatchParser<Reader: ByteChunkReader>: @unchecked Sendable {
    struct Batch: Sendable {
        var contacts: [Contact] = []
        var rejections: [ContactRejection] = []
        var done = false
        /// All repeats so far (not only this batch's).
        var repeats: [ContactRepeat] = []
        var repeatCount = 0
    }

    private var importer: ContactImporter<Reader>
    private var tracker = ContactRepeatTracker()
    private let batchSize: Int

    init(importer: ContactImporter<Reader>, batchSize: Int) {
        self.importer = importer
        self.batchSize = batchSize
    }

    func next() throws -> Batch {
        var batch = Batch()
        batch.contacts.reserveCapacity(batchSize)
        while batch.contacts.count < batchSize {
            guard let row = try importer.next() else {
                batch.done = true
                break
            }
            switch row {
            case .contact(let contact, let line):
                batch.contacts.append(contact)
                tracker.note(contact, line: line)
            case .rejected(let rejection): batch.rejections.append(rejection)
            }
        }
        batch.repeats = tracker.repeats
        batch.repeatCount = tracker.count
        return batch
    }
}

/// Counts the bytes a reader hands out, for a progress bar.
struct CountingReader<Base: ByteChunkReader>: ByteChunkReader {
    var base: Base
    let progress: (@Sendable (Int64, Int64) -> Void)?
    let size: Int64
    var count: Int64 = 0

    mutating func nextChunk() throws(ContactImportError) -> [UInt8]? {
        let chunk = try base.nextChunk()
        count += Int64(chunk?.count ?? 0)
        progress?(count, size)
        return chunk
    }
}

/// Where the daemon syncs contacts from, and how often.
public struct ContactSyncSettings: Sendable, Equatable {
    public var path: String
    public var interval: TimeInterval
    public var options: ContactImportOptions

    public init(path: String, interval: TimeInterval, options: ContactImportOptions) {
        self.path = path
        self.interval = interval
        self.options = options
    }

    public static func == (a: Self, b: Self) -> Bool {
        a.path == b.path && a.interval == b.interval && a.options.mapping == b.options.mapping
            && a.options.defaultRegion == b.options.defaultRegion && a.options.format == b.options.format
    }
}

/// The daemon's contact sync: imports the configured CRM export every `interval` when the file
/// changed (size or modification time), until graceful shutdown.
public struct ContactSyncService: Service {
    let store: Store
    let settings: ContactSyncSettings
    let logger: Logger

    public init(store: Store, settings: ContactSyncSettings, logger: Logger = Logger(label: "outcry.contacts")) {
        self.store = store
        self.settings = settings
        self.logger = logger
    }

    public func run() async throws {
        var lastSeen: FileStamp?
        await ServiceLoop.run("contact sync from \(settings.path)", logger: logger, failureWait: settings.interval) {
            let stamp = FileStamp(path: settings.path)
            if let stamp, stamp != lastSeen {
                let report = try await ContactFileImport.run(path: settings.path, options: settings.options, store: store, actor: ActorName.make(.system, "sync"))
                lastSeen = stamp
                logger.info("contacts synced from \(settings.path): \(report.summary)")
                for rejection in report.rejections.prefix(20) { logger.warning("contacts \(settings.path): \(rejection)") }
            } else if stamp == nil {
                logger.warning("contact sync: \(settings.path) is missing")
            }
            return settings.interval
        }
    }
}

/// A file's size and modification time: enough to tell that a CRM export was replaced.
struct FileStamp: Equatable {
    var size: Int64
    var modified: Double

    init?(path: String) {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        size = Int64(info.st_size)
        #if canImport(Darwin)
        modified = Double(info.st_mtimespec.tv_sec) + Double(info.st_mtimespec.tv_nsec) / 1e9
        #else
        modified = Double(info.st_mtim.tv_sec) + Double(info.st_mtim.tv_nsec) / 1e9
        #endif
    }
}
