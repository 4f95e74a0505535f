import Foundation

/// The one IMAP connection of a session, used by one command at a time.
///
/// Each command runs on a short-lived thread of its own (the socket calls block); the caller
/// awaits it, so nothing outlives the call. Cancelling the awaiting task stops the command.
/// After a failure that may leave the connection half-way through an answer (anything but a
/// tagged NO/BAD or a UIDVALIDITY mismatch) the connection is closed; the next command logs in
/// again on a fresh one.
final class IMAPConnection: @unchecked Sendable {
    let account: MailAccount
    private let lock = NSLock()
    /// Guarded by `lock`; lent to one command at a time.
    private var wire: IMAPWire
    private var busy = false

    init(account: MailAccount) {
        self.account = account
        wire = IMAPWire(account: account)
    }

    /// Logs out and closes the connection.
    func close() {
        lock.withLock {
            precondition(!busy, "IMAPConnection closed while a command runs")
            wire.close(polite: true)
        }
    }

    /// Runs `work` on the logged-in connection (logging in first when needed).
    func run<T: Sendable>(_ work: @escaping @Sendable (IMAPWire, IMAPCommandContext) throws -> T) async throws -> T {
        try Task.checkCancellation()
        let context = IMAPCommandContext(timeout: account.timeout)
        let lent = WireLoan(wire: take())
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
                let thread = Thread { [self] in
                    let wire = lent.wire
                    let result: Result<T, any Error>
                    do {
                        if !wire.isOpen { try wire.open(context) }
                        result = .success(try work(wire, context))
                    } catch {
                        result = .failure(error)
                    }
                    if case .failure(let error) = result, !Self.keepsConnection(error) { wire.close(polite: false) }
                    giveBack()
                    continuation.resume(with: result)
                }
                thread.name = "outcry-imap"
                thread.start()
            }
        } onCancel: {
            context.cancel()
        }
    }

    static func keepsConnection(_ error: any Error) -> Bool {
        guard let error = error as? MailError else { return false }
        return error.code == .commandFailed || error.code == .uidValidityChanged
    }

    private func take() -> IMAPWire {
        lock.withLock {
            precondition(!busy, "IMAPConnection is used by one command at a time")
            busy = true
            return wire
        }
    }

    private func giveBack() { lock.withLock { busy = false } }
}

/// The wire handed to the command's thread; only that thread touches it until it is given back.
private struct WireLoan: @unchecked Sendable {
    let wire: IMAPWire
}
