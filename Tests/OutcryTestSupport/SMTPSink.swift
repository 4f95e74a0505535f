import Foundation

/// A real SMTP server on 127.0.0.1 for tests: Python's `aiosmtpd` running `scripts/smtp_sink.py`,
/// which stores each accepted message as a file. Recipients starting with `reject` get 550,
/// those starting with `busy` get 451.
///
/// ```swift
/// @Test(.enabled(if: SMTPSink.isAvailable, "aiosmtpd missing: run scripts/setup.sh --test"))
/// func mail() async throws {
///     let sink = try SMTPSink.start()
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
    private let process: Process
    private let stdin: Pipe

    /// Whether `python3 -c "import aiosmtpd"` works (setup.sh --test installs it).
    public static let isAvailable: Bool = {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", "-c", "import aiosmtpd"]
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        do { try p.run() } catch { return false }
        p.waitUntilExit()
        return p.terminationStatus == 0
    }()

    static var scriptPath: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("scripts/smtp_sink.py").path
    }

    private init(port: Int, directory: String, process: Process, stdin: Pipe) {
        self.port = port
        self.directory = directory
        self.process = process
        self.stdin = stdin
    }

    /// Starts the sink on a free port and waits until it accepts connections.
    public static func start() throws -> SMTPSink {
        let directory = NSTemporaryDirectory() + "outcry-smtp-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", scriptPath, directory, "0"]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        var line = Data()
        while let byte = try output.fileHandleForReading.read(upToCount: 1), !byte.isEmpty, byte != Data("\n".utf8) {
            line += byte
        }
        let text = String(decoding: line, as: UTF8.self)
        guard text.hasPrefix("READY "), let port = Int(text.dropFirst(6)) else {
            process.terminate()
            throw SMTPSinkError(message: "smtp_sink.py did not start: '\(text)'")
        }
        return SMTPSink(port: port, directory: directory, process: process, stdin: input)
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

    /// Stops the server (closing its stdin ends it) and removes the stored files. Another child
    /// process started at the same moment (a Dovecot of a test running beside this one) can
    /// inherit the pipe's write end and keep stdin open for good, so after a short wait the
    /// server is terminated: `stop` never blocks a thread of the concurrency pool for long.
    public func stop() {
        try? stdin.fileHandleForWriting.close()
        let deadline = Date().addingTimeInterval(2)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        // SIGKILL: a child started from a thread that blocks signals inherits the mask, and a
        // blocked SIGTERM would wait for ever.
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        try? FileManager.default.removeItem(atPath: directory)
    }
}

public struct SMTPSinkError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
