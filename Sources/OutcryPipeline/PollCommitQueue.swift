import Foundation
import Logging
import OutcryStore

/// Group commit for polls: the polls that finish while a commit is running are committed
/// together in the next transaction (``Store/commitPolls``), so a pass over thousands of sources
/// pays a few statements a batch instead of a dozen a source, and no poll waits for a timer —
/// the first one in an idle queue is committed at once.
///
/// When a batch fails, each of its polls is committed alone, so one poll the store refuses
/// fails alone and the others land. The commits run in a task of their own: a poll cancelled
/// while it waits (shutdown) does not cancel the transaction that holds other sources' polls.
actor PollCommitQueue {
    private let store: Store
    private let router: AlertRouter
    private let alertOnBacklog: Bool
    private let logger: Logger
    /// At most this many polls a transaction.
    private let batchLimit: Int
    private var waiting: [(commit: PollCommit, now: Date, reply: CheckedContinuation<Result<IngestResult, any Error>, Never>)] = []
    private var draining = false
    /// How many polls each of the last 64 transactions held, in order (the first try of each
    /// batch), for tests and a look at a running pass; kept short, since `run` never ends.
    private(set) var batchSizes: [Int] = []

    /// Polls waiting for the next transaction.
    var waitingCount: Int { waiting.count }

    init(store: Store, router: AlertRouter, alertOnBacklog: Bool, logger: Logger, batchLimit: Int = 256) {
        self.store = store
        self.router = router
        self.alertOnBacklog = alertOnBacklog
        self.logger = logger
        self.batchLimit = max(1, batchLimit)
    }

    /// Commits one poll, with whatever else is waiting; returns when it has landed (or failed).
    func commit(_ commit: PollCommit, now: Date) async throws -> IngestResult {
        let result = await withCheckedContinuation { reply in
            waiting.append((commit, now, reply))
            if !draining {
                draining = true
                Task { await self.drain() }
            }
        }
        return try result.get()
    }

    private func drain() async {
        while !waiting.isEmpty {
            let batch = Array(waiting.prefix(batchLimit))
            waiting.removeFirst(batch.count)
            // One clock for the batch: the latest of its polls' times (each poll's own time is
            // in its validators and schedule already).
            let now = batch.map(\.now).max() ?? Date()
            if batchSizes.count == 64 { batchSizes.removeFirst() }
            batchSizes.append(batch.count)
            do {
                let results = try await store.commitPolls(batch.map(\.commit), alertOnBacklog: alertOnBacklog, routing: router, now: now)
                for (entry, result) in zip(batch, results) { entry.reply.resume(returning: .success(result)) }
            } catch {
                if batch.count > 1 {
                    logger.warning("a batch of \(batch.count) polls failed to commit; committing them one by one", metadata: ["error": "\(error)"])
                }
                for entry in batch {
                    do {
                        let result = try await store.commitPolls([entry.commit], alertOnBacklog: alertOnBacklog, routing: router, now: entry.now)
                        entry.reply.resume(returning: .success(result[0]))
                    } catch {
                        entry.reply.resume(returning: .failure(error))
                    }
                }
            }
        }
        draining = false
    }
}
