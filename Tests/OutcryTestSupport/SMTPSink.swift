import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A real SMTP server on 127.0.0.1 for tests: Python's `aiosmtpd` running `scripts/smtp_sink.py`,
/// which stores each accepted message as a file. Recipients starting with `reject` get 550,
/// those starting with `busy` get 451.
///
/// ```swift
/// @Test(.enabled(if: SMTPSink.isAvailable, "aiosmtpd missing: run scripts/setup.sh --test"))
/// func mail() async throws {
///     let sink = try await SMTPSink.start()
///     defer { sink.stop() }
///     … send to sink.url …
///     let messages = try await sink.waitForMessages(1)
/// }
/// ```
public final class SMTPSink: Sendable {
    /// One received message: the envelope and the raw RFC 5322 text.
    public struct Message: Sendable {
        public var mailFrom: String
        public var rcptTos: [String]
        public var text: String
    }

    public let port: Int
    public let directory: String
    private let child: ChildProcess

    /// Whether `python3 -c "import aiosmtpd"` works (setup.sh --test installs it).
    public static let isAvailable: Bool = ChildProcess.probe(["/usr/bin/env", "python3", "-c", "import aiosmtpd"])?.status == 0

    static var scriptPath: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("scripts/smtp_sink.py").path
    }

    private init(port: Int, directory: String, child: ChildProcess) {
        self.port = port
        self.directory = directory
        self.child = child
    }

    /// Starts the sink on a free port and waits (up to 20 s) until it accepts connections.
    public static func start() async throws -> SMTPSink {
        let directory = NSTemporaryDirectory() + "outcry-smtp-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let child = try ChildProcess.spawn(["/usr/bin/env", "python3", scriptPath, directory, "0"])
        for _ in 0..<400 {
            let output = child.outputSoFar
            if let line = output.split(separator: "\n").first(where: { $0.hasPrefix("READY ") }), let port = Int(line.dropFirst(6)) {
                return SMTPSink(port: port, directory: directory, child: child)
            }
            if !child.isRunning { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        child.kill()
        let exit = await child.exit()
        try? FileManager.default.removeItem(atPath: directory)
        throw SMTPSinkError(message: "smtp_sink.py did not start (exit \(exit.status)): \(exit.stdout)\(exit.stderr)")
    }

    /// `smtp://127.0.0.1:<port>`.
    public var url: String { "smtp://127.0.0.1:\(port)" }

    /// The messages stored so far, in arrival order.
    public func messages() -> [Message] {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter { $0.hasSuffix(".eml") }.sorted()
        return names.compactMap { name in
            let base = (directory as NSString).appendingPathComponent(String(name.dropLast(4)))
            guard let text = FileManager.default.contents(atPath: base + ".eml"),
                  let meta = FileManager.default.contents(atPath: base + ".json"),
                  let json = try? JSONSerialization.jsonObject(with: meta) as? [String: Any] else { return nil }
            return Message(mailFrom: json["mail_from"] as? String ?? "", rcptTos: json["rcpt_tos"] as? [String] ?? [],
                           text: String(decoding: text, as: UTF8.self))
        }
    }

    /// Waits (up to `timeout` seconds, polling) until at least `count` messages arrived.
    public func waitForMessages(_ count: Int, timeout: TimeInterval = 10) async throws -> [Message] {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            let found = messages()
            if found.count >= count || Date() > deadline { return found }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    /// Stops the server (SIGTERM; its signal mask is clean, see ``ChildProcess``) and removes the
    /// stored files once it is gone. Returns at once: it never blocks a thread of the concurrency pool.
    public func stop() {
        child.kill(SIGTERM)
        let directory = directory
        child.reapInBackground { try? FileManager.default.removeItem(atPath: directory) }
    }
}

public struct SMTPSinkError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
