import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The data directory holds customer data: it is the owner's alone (0700), and so are the
/// database, its WAL, shared-memory and lock files and the keys (0600). Existing ones are
/// tightened each time the store opens.
public enum DataFiles {
    public static let directoryMode: mode_t = 0o700
    public static let fileMode: mode_t = 0o600
    /// The files beside `outcry.sqlite` that SQLite and Outcry create.
    public static let databaseCompanions = ["-wal", "-shm", "-journal", ".open-lock"]

    /// Creates the directory (and missing parents) 0700, or tightens an existing one to 0700.
    public static func prepareDirectory(_ path: String) throws {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw StoreError(description: "\(path) is not a directory") }
        } else {
            try FileManager.default.createDirectory(
                atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: Int(directoryMode)])
        }
        try tighten(path, to: directoryMode)
    }

    /// Creates the database file 0600 if it is missing (so SQLite, which gives its WAL and
    /// shared-memory files the database's mode, never makes them readable by others), and
    /// tightens it and its companion files when they exist.
    public static func prepareDatabase(_ path: String) throws {
        let fd = Glibc.open(path, O_RDWR | O_CREAT | O_CLOEXEC, fileMode)
        guard fd >= 0 else { throw StoreError(description: "cannot create \(path): \(String(cString: strerror(errno)))") }
        close(fd)
        try tighten(path, to: fileMode)
        for suffix in databaseCompanions where FileManager.default.fileExists(atPath: path + suffix) {
            try tighten(path + suffix, to: fileMode)
        }
    }

    /// Removes group and other permissions (never adds any).
    public static func tighten(_ path: String, to mode: mode_t) throws {
        var info = stat()
        guard stat(path, &info) == 0 else { return }
        let current = info.st_mode & 0o7777
        guard current & ~mode != 0 else { return }
        guard chmod(path, current & mode) == 0 else {
            throw StoreError(description: "cannot restrict the permissions of \(path) to \(String(mode, radix: 8)): \(String(cString: strerror(errno)))")
        }
    }

    /// The permission bits of a file (tests, `config check`).
    public static func mode(of path: String) -> mode_t? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return info.st_mode & 0o7777
    }

    /// A secret key file of `count` random bytes in `directory`, created once: written 0600 to a
    /// temporary name and linked into place, so a reader never sees a half-written key and two
    /// processes starting together end up with the same one. An existing key is read as is.
    public static func key(named name: String, in directory: String, count: Int = 32) throws -> [UInt8] {
        let path = (directory as NSString).appendingPathComponent(name)
        if let existing = try readKey(path, count: count) { return existing }
        var bytes = [UInt8](repeating: 0, count: count)
        var rng = SystemRandomNumberGenerator()
        for i in bytes.indices { bytes[i] = rng.next() }
        let temporary = path + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let fd = Glibc.open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, fileMode)
        guard fd >= 0 else { throw StoreError(description: "cannot create the key file \(path): \(String(cString: strerror(errno)))") }
        defer { unlink(temporary) }
        let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, count) }
        let synced = fsync(fd) == 0
        close(fd)
        guard written == count, synced else { throw StoreError(description: "cannot write the key file \(path): \(String(cString: strerror(errno)))") }
        if link(temporary, path) != 0 {
            guard errno == EEXIST, let winner = try readKey(path, count: count) else {
                throw StoreError(description: "cannot create the key file \(path): \(String(cString: strerror(errno)))")
            }
            return winner
        }
        return bytes
    }

    static func readKey(_ path: String, count: Int) throws -> [UInt8]? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        try tighten(path, to: fileMode)
        guard let data = FileManager.default.contents(atPath: path) else {
            throw StoreError(description: "cannot read the key file \(path)")
        }
        guard data.count >= count else {
            throw StoreError(description: "the key file \(path) holds \(data.count) bytes, not \(count): restore it from a backup (a new key would not match what is stored)")
        }
        return Array(data)
    }
}
