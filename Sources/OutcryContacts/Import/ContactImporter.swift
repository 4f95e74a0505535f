/// Imports contacts from a byte reader, one row at a time, in bounded memory.
///
/// Each row is a contact or a rejection with its line number; an input that cannot be read at
/// all (UTF-16, no header, an unknown mapped column, an I/O error) throws.
///
/// ```swift
/// var importer = ContactImporter(reader: FileDescriptorReader(fd), options: ContactImportOptions(defaultRegion: .named("US")))
/// while let row = try importer.next() {
///     switch row {
///     case .contact(let contact, _): try store.saveContact(contact)
///     case .rejected(let rejection): print(rejection) // "line 12: bad email: "ada@" is not a valid address"
///     }
/// }
/// ```
public struct ContactImporter<Reader: ByteChunkReader> {
    private var reader: Reader
    private var decoder: ContactDecoder
    private var ready: [ContactImportRow] = []
    private var readyIndex = 0
    private var ended = false

    public init(reader: Reader, options: ContactImportOptions = ContactImportOptions()) {
        self.reader = reader
        decoder = ContactDecoder(options: options)
    }

    /// Each CSV header column and the field it fills, once the header was read.
    public var columns: [ContactColumn]? { decoder.columns }

    /// The CSV delimiter in use, once the format is known.
    public var csvDelimiter: UInt8? { decoder.csvDelimiter }

    /// The next row, or nil at the end of the input.
    public mutating func next() throws(ContactImportError) -> ContactImportRow? {
        while readyIndex == ready.count {
            if ended { return nil }
            ready.removeAll(keepingCapacity: true)
            readyIndex = 0
            if let chunk = try reader.nextChunk() {
                ready = try decoder.feed(chunk)
            } else {
                ended = true
                ready = try decoder.finish()
            }
        }
        defer { readyIndex += 1 }
        return ready[readyIndex]
    }
}

/// Imports contacts from an asynchronous sequence of byte chunks (a NIO file reader, an HTTP
/// request body, …): an `AsyncSequence` of rows, in bounded memory.
///
/// ```swift
/// for try await row in ContactImportStream(chunks: body, options: options) { … }
/// ```
public struct ContactImportStream<Chunks: AsyncSequence & Sendable>: AsyncSequence, Sendable where Chunks.Element == [UInt8] {
    public typealias Element = ContactImportRow

    private let chunks: Chunks
    private let options: ContactImportOptions

    public init(chunks: Chunks, options: ContactImportOptions = ContactImportOptions()) {
        self.chunks = chunks
        self.options = options
    }

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(base: chunks.makeAsyncIterator(), decoder: ContactDecoder(options: options))
    }

    public struct AsyncIterator: AsyncIteratorProtocol {
        var base: Chunks.AsyncIterator
        var decoder: ContactDecoder
        var ready: [ContactImportRow] = []
        var readyIndex = 0
        var ended = false

        public mutating func next() async throws -> ContactImportRow? {
            while readyIndex == ready.count {
                if ended { return nil }
                readyIndex = 0
                if let chunk = try await base.next() {
                    ready = try decoder.feed(chunk)
                } else {
                    ended = true
                    ready = try decoder.finish()
                }
            }
            defer { readyIndex += 1 }
            return ready[readyIndex]
        }
    }
}
