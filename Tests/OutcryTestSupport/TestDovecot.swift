import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A real Dovecot (IMAP + POP3, plain text) on free 127.0.0.1 ports, started through
/// `scripts/dovecot.sh` in a folder of its own and stopped (folder removed) by `stop()`.
///
/// When Dovecot is not installed `start()` throws ``TestDovecot/Failure`` saying so (the tests
/// fail, they do not pass silently); `scripts/setup.sh --test` installs it.
/// ```swift
/// try await TestDovecot.with { dovecot in
///     try dovecot.deliver(TestDovecot.message(id: "a1@example.com", from: "ann@example.com", body: "Broken again"))
///     …
/// }
/// ```
public final class TestDovecot: Sendable {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
        public init(description: String) { self.description = description }
    }

    public let dir: String
    public let imapPort: Int
    public let pop3Port: Int
    public let maildir: String
    public let user = "testuser"
    public let password = "secret"
    let owner: (uid: UInt32, gid: UInt32)

    public static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let script = repositoryRoot.appendingPathComponent("scripts/dovecot.sh").path

    init(dir: String, imapPort: Int, pop3Port: Int, maildir: String, owner: (UInt32, UInt32)) {
        self.dir = dir
        self.imapPort = imapPort
        self.pop3Port = pop3Port
        self.maildir = maildir
        self.owner = owner
    }

    /// Starts a fresh Dovecot with an empty INBOX (and empty `Sent` and `Done` folders).
    public static func start() async throws -> TestDovecot {
        // Directly under the temporary folder (0755): the mail user must be able to reach it.
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("outcry-dovecot-\(UUID().uuidString.prefix(8))").path
        var lastError = ""
        for _ in 0..<3 {
            let (imap, pop3) = try freePorts()
            let result = try await ChildProcess.run(["/bin/bash", script, "start", dir, String(imap), String(pop3)])
            if result.status == 3 { throw Failure(description: "Dovecot is not installed (run scripts/setup.sh --test): \(result.stderr)") }
            if result.status == 0, let line = result.stdout.split(separator: "\n").last(where: { $0.hasPrefix("owner=") }) {
                // owner=UID:GID maildir=PATH
                let fields = line.split(separator: " ", maxSplits: 1)
                let ids = fields[0].dropFirst("owner=".count).split(separator: ":").compactMap { UInt32($0) }
                guard ids.count == 2, fields.count == 2 else { throw Failure(description: "dovecot.sh printed '\(line)'") }
                return TestDovecot(dir: dir, imapPort: imap, pop3Port: pop3, maildir: String(fields[1].dropFirst("maildir=".count)), owner: (ids[0], ids[1]))
            }
            lastError = "exit \(result.status): \(result.stdout)\(result.stderr)"
            _ = try? await ChildProcess.run(["/bin/bash", script, "stop", dir])
        }
        throw Failure(description: "Dovecot did not start: \(lastError)")
    }

    /// Runs `body` with a fresh Dovecot, stopped afterwards whether `body` throws or not.
    public static func with<T>(_ body: (TestDovecot) async throws -> T) async throws -> T {
        let dovecot = try await start()
        do {
            let result = try await body(dovecot)
            await dovecot.stop()
            return result
        } catch {
            await dovecot.stop()
            throw error
        }
    }

    /// Stops Dovecot and removes its folder.
    public func stop() async {
        _ = try? await ChildProcess.run(["/bin/bash", Self.script, "stop", dir])
        try? FileManager.default.removeItem(atPath: dir)
    }

    /// `imap://127.0.0.1:PORT/FOLDER`
    public func imapURL(_ folder: String = "INBOX") -> String { "imap://127.0.0.1:\(imapPort)/\(folder)" }
    /// `pop3://127.0.0.1:PORT`
    public var pop3URL: String { "pop3://127.0.0.1:\(pop3Port)" }

    // MARK: mail

    /// An RFC 5322 message (CRLF line ends).
    public static func message(
        id: String?, from: String?, to: String = "support@shop.example", subject: String = "Order 1234",
        date: Date = Date(), inReplyTo: String? = nil, body: String
    ) -> String {
        var lines: [String] = []
        if let from { lines.append("From: \(from)") }
        lines.append("To: \(to)")
        lines.append("Subject: \(subject)")
        lines.append("Date: \(rfc5322(date))")
        if let id { lines.append("Message-ID: <\(id)>") }
        if let inReplyTo { lines += ["In-Reply-To: <\(inReplyTo)>", "References: <\(inReplyTo)>"] }
        lines += ["MIME-Version: 1.0", "Content-Type: text/plain; charset=utf-8", "", body, ""]
        return lines.joined(separator: "\r\n")
    }

    static func rfc5322(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, d MMM yyyy HH:mm:ss '+0000'"
        return formatter.string(from: date)
    }

    /// Puts a message into a folder as a delivery agent would (a file in the Maildir, owned by
    /// the mail user), `\Seen` or not; its arrival time (IMAP INTERNALDATE) is `arrived`.
    /// Dovecot sees it on its next command.
    @discardableResult
    public func deliver(_ text: String, folder: String = "INBOX", seen: Bool = false, arrived: Date? = nil) throws -> String {
        let base = folder == "INBOX" ? maildir : (maildir as NSString).appendingPathComponent(".\(folder)")
        for sub in ["", "new", "cur", "tmp"] {
            let path = (base as NSString).appendingPathComponent(sub)
            if !FileManager.default.fileExists(atPath: path) {
                try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
                try chown(path)
            }
        }
        // Dovecot numbers new mail in file-name order: the names follow the order of delivery.
        let name = "\(Int(Date().timeIntervalSince1970)).M\(String(format: "%08d", Self.nextDelivery()))P\(getpid()).outcry-test"
        let path = (base as NSString).appendingPathComponent(seen ? "cur/\(name):2,S" : "new/\(name)")
        let crlf = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\n", with: "\r\n")
        try Data(crlf.utf8).write(to: URL(fileURLWithPath: path))
        try chown(path)
        if let arrived { try FileManager.default.setAttributes([.modificationDate: arrived], ofItemAtPath: path) }
        return path
    }

    private static let deliveries = DeliveryCounter()

    private static func nextDelivery() -> Int { deliveries.next() }

    private func chown(_ path: String) throws {
        if Glibc.chown(path, owner.uid, owner.gid) != 0 && getuid() == 0 {
            throw Failure(description: "chown \(path): errno \(errno)")
        }
    }

    /// Makes the folder's UIDVALIDITY change, as when a mailbox is deleted and created again:
    /// Dovecot's UID list and index are removed, so it numbers the messages anew under a new
    /// UIDVALIDITY on its next command.
    public func resetUIDValidity(folder: String = "INBOX") throws {
        let base = folder == "INBOX" ? maildir : (maildir as NSString).appendingPathComponent(".\(folder)")
        for name in try FileManager.default.contentsOfDirectory(atPath: base)
        where name == "dovecot-uidlist" || name.hasPrefix("dovecot.index") {
            try FileManager.default.removeItem(atPath: (base as NSString).appendingPathComponent(name))
        }
    }

    // MARK: looking at the mailbox from outside (the curl command line tool)

    /// Sends one command in its own IMAP session (`curl`, which selects `folder` first).
    public func imap(_ command: String, folder: String? = "INBOX") async throws -> String {
        let url = "imap://127.0.0.1:\(imapPort)/" + (folder ?? "")
        let result = try await ChildProcess.run(["/usr/bin/env", "curl", "-sS", "--max-time", "20", "-u", "\(user):\(password)", url, "-X", command])
        guard result.status == 0 else { throw Failure(description: "curl \(url) \(command): exit \(result.status) \(result.stderr)") }
        return result.stdout
    }

    /// The flags of every message in a folder, by UID (read with `UID FETCH a:b (UID FLAGS)`,
    /// which changes no flag, 100 UIDs at a time: curl refuses an answer over 300 KB).
    public func flags(folder: String = "INBOX") async throws -> [UInt32: Set<String>] {
        let status = try await imap("STATUS \"\(folder)\" (UIDNEXT)", folder: nil)
        guard let range = status.range(of: "UIDNEXT "), let next = UInt32(status[range.upperBound...].prefix { $0.isNumber }) else {
            throw Failure(description: "no UIDNEXT for \(folder): \(status)")
        }
        var result: [UInt32: Set<String>] = [:]
        for first in stride(from: UInt32(1), to: max(next, 2), by: 100) {
            result.merge(try await flags(folder: folder, from: first, to: first + 99)) { $1 }
        }
        return result
    }

    private func flags(folder: String, from first: UInt32, to last: UInt32) async throws -> [UInt32: Set<String>] {
        var result: [UInt32: Set<String>] = [:]
        for line in try await imap("UID FETCH \(first):\(last) (UID FLAGS)", folder: folder).split(whereSeparator: \.isNewline) where line.contains(" FETCH ") {
            guard let uidRange = line.range(of: "UID "), let flagsRange = line.range(of: "FLAGS (") else { continue }
            let uid = UInt32(line[uidRange.upperBound...].prefix { $0.isNumber })
            let flags = line[flagsRange.upperBound...].prefix { $0 != ")" }.split(separator: " ").map(String.init)
            if let uid { result[uid] = Set(flags) }
        }
        return result
    }

    /// The UIDVALIDITY of a folder (`STATUS`).
    public func uidValidity(folder: String = "INBOX") async throws -> UInt32? {
        let text = try await imap("STATUS \"\(folder)\" (UIDVALIDITY)", folder: nil)
        guard let range = text.range(of: "UIDVALIDITY ") else { return nil }
        return UInt32(text[range.upperBound...].prefix { $0.isNumber })
    }

    /// The POP3 maildrop's UIDLs (`UIDL` over curl): what a POP3 client sees.
    public func pop3UIDLs() async throws -> [String] {
        let result = try await ChildProcess.run(["/usr/bin/env", "curl", "-sS", "--max-time", "20", "-u", "\(user):\(password)", pop3URL + "/", "-X", "UIDL"])
        guard result.status == 0 else { throw Failure(description: "curl \(pop3URL) UIDL: exit \(result.status) \(result.stderr)") }
        return result.stdout.split(whereSeparator: \.isNewline).compactMap { line in
            let parts = line.split(separator: " ")
            return parts.count == 2 ? String(parts[1]) : nil
        }
    }

    /// Dovecot's log (logins, fetches, errors), for test failure messages.
    public var log: String { (try? String(contentsOfFile: (dir as NSString).appendingPathComponent("dovecot.log"), encoding: .utf8)) ?? "" }

    // MARK: helpers

    /// Two distinct free TCP ports on 127.0.0.1 (bound to port 0, read back, released).
    static func freePorts() throws -> (Int, Int) {
        var sockets: [Int32] = []
        defer { sockets.forEach { close($0) } }
        var ports: [Int] = []
        for _ in 0..<2 {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            guard fd >= 0 else { throw Failure(description: "socket: errno \(errno)") }
            sockets.append(fd)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = 0
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            let bound = withUnsafeMutablePointer(to: &address) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
            }
            guard bound else { throw Failure(description: "bind 127.0.0.1:0: errno \(errno)") }
            ports.append(Int(UInt16(bigEndian: address.sin_port)))
        }
        return (ports[0], ports[1])
    }
}

private final class DeliveryCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func next() -> Int { lock.withLock { count += 1; return count } }
}
