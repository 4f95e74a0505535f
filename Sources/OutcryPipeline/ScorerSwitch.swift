import OutcryScoring
import Synchronization

/// The scorer a running pipeline uses, swapped whole when a retrained model is activated: every
/// mention is scored by one model or the other, never a mix.
public final class ScorerSwitch: Sendable {
    private let scorer: Mutex<Scorer>

    public init(_ scorer: Scorer) { self.scorer = Mutex(scorer) }

    public var current: Scorer { scorer.withLock { $0 } }

    public func use(_ new: Scorer) { scorer.withLock { $0 = new } }
}
