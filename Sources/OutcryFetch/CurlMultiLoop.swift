import CCurl
import Foundation

/// The one thread that owns a libcurl multi handle and drives every transfer.
///
/// Other threads only touch the mailbox (`inbox`, `cancels`, `stopRequested`) under `lock`, then
/// call `curl_multi_wakeup`, the one multi function libcurl allows from another thread.
/// Everything else (easy handles, callbacks, `waiting`, `active`) belongs to the loop thread.
final class CurlMultiLoop: @unchecked Sendable {
    private let multi: UnsafeMutableRawPointer
    private let maxInFlight: Int

    private let lock = NSLock()
    private var inbox: [CurlTransfer] = []
    private var cancels: [CurlTransfer] = []
    private var stopRequested = false
    private var stopped = false
    private var stopWaiters: [CheckedContinuation<Void, Never>] = []

    // Loop thread only.
    private var waiting: [CurlTransfer] = []
    private var waitingHead = 0
    private var active: [UnsafeMutableRawPointer: CurlTransfer] = [:]

    init(configuration: FetchClient.Configuration) {
        precondition(ccurl_global_init_once() == CURLE_OK, "curl_global_init failed")
        guard let multi = curl_multi_init() else { fatalError("curl_multi_init failed") }
        self.multi = multi
        maxInFlight = max(1, configuration.maxConcurrentTransfers)
        _ = ccurl_multi_setopt_long(multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, max(1, configuration.maxTotalConnections))
        _ = ccurl_multi_setopt_long(multi, CURLMOPT_MAX_HOST_CONNECTIONS, max(1, configuration.maxConnectionsPerHost))
        _ = ccurl_multi_setopt_long(multi, CURLMOPT_MAXCONNECTS, max(1, configuration.maxTotalConnections))
        let thread = Thread { [self] in run() }
        thread.name = "outcry-fetch"
        thread.start()
    }

    // MARK: Any thread

    /// Hands a transfer to the loop; throws `.shutdown` once shutdown has begun.
    func submit(_ transfer: CurlTransfer) throws(FetchError) {
        lock.lock()
        defer { lock.unlock() }
        guard !stopRequested else { throw FetchError(.shutdown, url: transfer.request.url) }
        inbox.append(transfer)
        curl_multi_wakeup(multi)
    }

    func cancel(_ transfer: CurlTransfer) {
        lock.lock()
        defer { lock.unlock() }
        guard !stopped else { return }
        cancels.append(transfer)
        curl_multi_wakeup(multi)
    }

    /// Asks the loop to fail every pending transfer with `.shutdown` and exit; does not wait.
    func requestStop() {
        lock.lock()
        defer { lock.unlock() }
        guard !stopRequested else { return }
        stopRequested = true
        curl_multi_wakeup(multi)
    }

    /// Requests the stop and waits until the thread has released the multi handle.
    func stop() async {
        requestStop()
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            lock.lock()
            if stopped {
                lock.unlock()
                continuation.resume()
            } else {
                stopWaiters.append(continuation)
                lock.unlock()
            }
        }
    }

    // MARK: Loop thread

    private func run() {
        var running: Int32 = 0
        while true {
            lock.lock()
            let newTransfers = inbox, cancelled = cancels, stopping = stopRequested
            inbox.removeAll(keepingCapacity: true)
            cancels.removeAll(keepingCapacity: true)
            lock.unlock()

            for transfer in cancelled { cancelOnLoop(transfer) }
            for transfer in newTransfers {
                if transfer.cancelled {
                    transfer.finish(.failure(CancellationError()))
                } else {
                    transfer.state = .waiting
                    waiting.append(transfer)
                }
            }
            if stopping { break }

            startWaiting()
            curl_multi_perform(multi, &running)
            if collectFinished() { startWaiting(); curl_multi_perform(multi, &running) }
            curl_multi_poll(multi, nil, 0, 1000, nil)
        }
        tearDown()
    }

    private func cancelOnLoop(_ transfer: CurlTransfer) {
        switch transfer.state {
        case .new: transfer.cancelled = true
        case .waiting: transfer.finish(.failure(CancellationError()))  // skipped in startWaiting
        case .active:
            if let easy = transfer.easy {
                curl_multi_remove_handle(multi, easy)
                active[easy] = nil
            }
            transfer.finish(.failure(CancellationError()))
        case .done: break
        }
    }

    private func startWaiting() {
        while active.count < maxInFlight, waitingHead < waiting.count {
            let transfer = waiting[waitingHead]
            waitingHead += 1
            guard transfer.state == .waiting else { continue }
            do {
                let easy = try transfer.makeHandle()
                let code = curl_multi_add_handle(multi, easy)
                guard code == CURLM_OK else {
                    let message = String(cString: curl_multi_strerror(code))
                    throw FetchError(.other(curlCode: Int(code.rawValue), message: message), url: transfer.request.url)
                }
                transfer.state = .active
                active[easy] = transfer
            } catch {
                transfer.finish(.failure(error))
            }
        }
        if waitingHead > 1024, waitingHead * 2 > waiting.count {
            waiting.removeFirst(waitingHead)
            waitingHead = 0
        }
    }

    /// Completes every transfer libcurl reports done; returns whether any completed.
    private func collectFinished() -> Bool {
        var any = false
        var remaining: Int32 = 0
        while let message = curl_multi_info_read(multi, &remaining) {
            guard message.pointee.msg == CURLMSG_DONE, let easy = message.pointee.easy_handle else { continue }
            let code = ccurl_msg_result(message)
            curl_multi_remove_handle(multi, easy)  // the connection stays in the multi's cache
            if let transfer = active.removeValue(forKey: easy) {
                transfer.finish(transfer.outcome(code))
                any = true
            }
        }
        return any
    }

    private func tearDown() {
        for (easy, transfer) in active {
            curl_multi_remove_handle(multi, easy)
            transfer.finish(.failure(FetchError(.shutdown, url: transfer.request.url)))
        }
        active.removeAll()
        for transfer in waiting[waitingHead...] where transfer.state == .waiting {
            transfer.finish(.failure(FetchError(.shutdown, url: transfer.request.url)))
        }
        waiting.removeAll()
        lock.lock()
        stopped = true  // no wakeups from now on; the inbox is empty since submit refuses after stop
        cancels.removeAll()
        let waiters = stopWaiters
        stopWaiters.removeAll()
        lock.unlock()
        curl_multi_cleanup(multi)
        for waiter in waiters { waiter.resume() }
    }
}
