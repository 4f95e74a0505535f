import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A TCP proxy on 127.0.0.1 in front of a server (e.g. Dovecot's IMAP port) that passes bytes
/// both ways until the server sends `trigger`; from then on it passes nothing more (the client
/// waits in the middle of that answer) and ``triggered`` is true. For killing a client at the
/// exact moment a server answers, e.g. a body fetch (`BODY[] {`).
/// ```swift
/// let proxy = try StallingProxy.start(to: dovecot.imapPort, trigger: Array("BODY[] {".utf8))
/// defer { proxy.stop() }
/// ```
public final class StallingProxy: @unchecked Sendable {
    public let port: Int
    private let target: Int
    private let trigger: [UInt8]
    private let listener: Int32
    private let lock = NSLock()
    private var fired = false
    private var stopped = false
    private var sockets: [Int32] = []

    private init(port: Int, target: Int, trigger: [UInt8], listener: Int32) {
        self.port = port
        self.target = target
        self.trigger = trigger
        self.listener = listener
    }

    public static func start(to targetPort: Int, trigger: [UInt8]) throws -> StallingProxy {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TestDovecot.Failure(description: "socket: errno \(errno)") }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound, listen(fd, 16) == 0 else {
            close(fd)
            throw TestDovecot.Failure(description: "bind/listen 127.0.0.1:0: errno \(errno)")
        }
        let proxy = StallingProxy(port: Int(UInt16(bigEndian: address.sin_port)), target: targetPort, trigger: trigger, listener: fd)
        let thread = Thread { proxy.acceptLoop() }
        thread.name = "stalling-proxy"
        thread.start()
        return proxy
    }

    /// Whether the server has sent the trigger.
    public var triggered: Bool { lock.withLock { fired } }

    /// Waits until the trigger was seen (true) or `timeout` passed (false).
    public func waitForTrigger(timeout: TimeInterval) async -> Bool {
        let end = Date().addingTimeInterval(timeout)
        while Date() < end {
            if triggered { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return triggered
    }

    /// Closes the listener and every connection.
    public func stop() {
        let open: [Int32] = lock.withLock {
            stopped = true
            return sockets
        }
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
        for fd in open { shutdown(fd, Int32(SHUT_RDWR)) }
    }

    private func acceptLoop() {
        while true {
            let client = accept(listener, nil, nil)
            if client < 0 {
                if errno == EINTR { continue }
                return
            }
            let server = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = UInt16(target).bigEndian
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            let connected = withUnsafePointer(to: &address) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(server, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
            }
            let keep = lock.withLock { () -> Bool in
                guard !stopped else { return false }
                sockets += [client, server]
                return true
            }
            guard connected, keep else {
                close(client)
                close(server)
                continue
            }
            for (from, to, watch) in [(client, server, false), (server, client, true)] {
                let thread = Thread { [self] in pump(from: from, to: to, watch: watch) }
                thread.name = "stalling-proxy-pump"
                thread.start()
            }
        }
    }

    private func pump(from: Int32, to: Int32, watch: Bool) {
        var buffer = [UInt8](repeating: 0, count: 64 << 10)
        var tail: [UInt8] = []  // the last bytes, so that a trigger split across reads is seen
        while true {
            let n = buffer.withUnsafeMutableBytes { read(from, $0.baseAddress, $0.count) }
            if n <= 0 { break }
            if lock.withLock({ fired }) { continue }  // stalled: swallow, pass nothing on
            var chunk = Array(buffer[0..<n])
            if watch {
                let window = tail + chunk
                if let range = window.firstRange(of: trigger) {
                    // Pass on up to the end of the trigger, then nothing more.
                    let end = range.upperBound - tail.count
                    chunk = end > 0 ? Array(chunk[0..<end]) : []
                    lock.withLock { fired = true }
                }
                tail = Array(window.suffix(trigger.count))
            }
            var offset = 0
            while offset < chunk.count {
                let written = chunk[offset...].withUnsafeBytes { write(to, $0.baseAddress, $0.count) }
                if written <= 0 { break }
                offset += written
            }
        }
        shutdown(to, Int32(SHUT_WR))
    }
}
