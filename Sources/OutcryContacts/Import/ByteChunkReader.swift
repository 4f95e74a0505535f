#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A source of bytes read in chunks: a file descriptor, memory, or anything else.
public protocol ByteChunkReader {
    /// The next chunk (never empty), or nil at the end of the input.
    mutating func nextChunk() throws(ContactImportError) -> [UInt8]?
}

/// Reads a file descriptor with `read(2)`, `chunkSize` bytes at a time. Does not close it.
///
/// ```swift
/// let fd = open(path, O_RDONLY)
/// var importer = ContactImporter(reader: FileDescriptorReader(fd), options: options)
/// ```
public struct FileDescriptorReader: ByteChunkReader {
    public let fileDescriptor: Int32
    public let chunkSize: Int
    private var buffer: [UInt8]

    public init(_ fileDescriptor: Int32, chunkSize: Int = 1 << 16) {
        self.fileDescriptor = fileDescriptor
        self.chunkSize = max(1, chunkSize)
        buffer = [UInt8](repeating: 0, count: self.chunkSize)
    }

    public mutating func nextChunk() throws(ContactImportError) -> [UInt8]? {
        let fd = fileDescriptor
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count > 0 { return Array(buffer[0..<count]) }
            if count == 0 { return nil }
            if errno == EINTR { continue }
            throw ContactImportError("reading the input failed: \(String(cString: strerror(errno)))")
        }
    }
}

/// Bytes already in memory, handed out in chunks (small chunks exercise chunk boundaries).
public struct BytesReader: ByteChunkReader {
    private let bytes: [UInt8]
    private let chunkSize: Int
    private var offset = 0

    public init(_ bytes: [UInt8], chunkSize: Int = 1 << 16) {
        self.bytes = bytes
        self.chunkSize = max(1, chunkSize)
    }

    public init(_ text: String, chunkSize: Int = 1 << 16) {
        self.init(Array(text.utf8), chunkSize: chunkSize)
    }

    public mutating func nextChunk() throws(ContactImportError) -> [UInt8]? {
        guard offset < bytes.count else { return nil }
        let end = min(bytes.count, offset + chunkSize)
        defer { offset = end }
        return Array(bytes[offset..<end])
    }
}
