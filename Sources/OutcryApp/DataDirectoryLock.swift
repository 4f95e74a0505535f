import Foundation
import OutcryStore
#if canImport(Glibc)
import Glibc
#endif

/// An exclusive lock on the data directory, so that two `outcry poll --once` runs (a slow
/// pass and the next timer) never work on the same store at once.
public final class DataDirectoryLock: @unchecked Sendable {
    private var fd: Int32
    public let path: String

    private init(fd: Int32, path: String) {
        self.fd = fd
        self.path = path
    }

    /// Takes the lock at once or throws ``LockError/held`` naming the process that holds it.
    /// `shared`: workers of `outcry run` share the directory (their leases keep them apart),
    /// while a cron pass (`poll --once`, which takes it exclusively) waits for none of them.
    public static func acquire(directory: String, shared: Bool = false) throws -> DataDirectoryLock {
        try DataFiles.prepareDirectory(directory)  // 0700: customer data
        let path = (directory as NSString).appendingPathComponent("outcry.lock")
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw LockError.cannotOpen(path: path, errno: errno) }
        try? DataFiles.tighten(path, to: DataFiles.fileMode)
        if flock(fd, (shared ? LOCK_SH : LOCK_EX) | LOCK_NB) != 0 {
            var buffer = [UInt8](repeating: 0, count: 32)
            let n = read(fd, &buffer, buffer.count)
            close(fd)
            let holder = n > 0 ? String(decoding: buffer[..<n], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) : "?"
            throw LockError.held(path: path, pid: holder)
        }
        // Shared holders are several: the file names the last worker that started.
        _ = ftruncate(fd, 0)
        let pid = "\(getpid())\n"
        _ = pid.withCString { write(fd, $0, strlen($0)) }
        return DataDirectoryLock(fd: fd, path: path)
    }

    /// Releases the lock (also released when the process exits).
    public func release() {
        guard fd >= 0 else { return }
        _ = flock(fd, LOCK_UN)
        close(fd)
        fd = -1
    }

    deinit { release() }
}

public enum LockError: Error, CustomStringConvertible {
    case held(path: String, pid: String)
    case cannotOpen(path: String, errno: Int32)

    public var description: String {
        switch self {
        case .held(let path, let pid):
            "another outcry process (pid \(pid)) is working on this data directory (\(path)); this run exits without polling"
        case .cannotOpen(let path, let code):
            "cannot open the lock file \(path): \(String(cString: strerror(code)))"
        }
    }
}
