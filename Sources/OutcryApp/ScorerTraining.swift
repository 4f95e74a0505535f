import Foundation
import Logging
import OutcryModel
import OutcryScoring
import OutcryPipeline
import OutcryStore
import ServiceLifecycle

/// Training the installation's model from the team's labels: used by `outcry scorer train` and,
/// when enough new labels have arrived, by `outcry run` itself (``RetrainService``).
///
/// Each training keeps a new model version; it becomes the active one only when k-fold
/// cross-validation on the labels says it is not worse than the active one (see `Adaptation`).
public enum ScorerTraining {
    /// What one training did.
    public struct Outcome: Sendable {
        public var version: Int
        /// The labels it was trained on.
        public var labelCount: Int
        public var report: AdaptationReport
        /// The report as stored with the version (JSON).
        public var reportJSON: String
        public var model: LearnedModel
        public var seconds: Double
        public var accepted: Bool { report.accepted }
    }

    /// The labels a model can learn from: an erased mention's label says nothing of its words.
    public static func examples(_ labels: [LabelRecord]) -> [LabelExample] {
        labels.compactMap { l in
            // A label read back from the store always has its id; one without is not a stored label.
            guard l.text != "[erased]", let id = l.id else { return nil }
            return LabelExample(id: id, text: l.text, sentiment: l.sentiment, complaint: l.complaint, urgency: l.urgency)
        }
    }

    /// Trains a new version on every label, cross-validates it against the base and the active
    /// model, and stores it (active when accepted).
    public static func train(store: Store, folds: Int = 5, now: Date = Date()) async throws -> Outcome {
        let all = examples(try await store.labels())
        let active = try await store.activeScorerModel()
        let clock = ContinuousClock()
        let started = clock.now
        let report = Adaptation.crossValidate(base: .base, labels: all, currentLabelsThrough: active?.labelsThrough, folds: max(2, folds))
        let version = try await store.nextScorerModelVersion()
        var model = Adaptation.train(base: .base, labels: all, version: version, createdAt: ISO8601DateFormatter().string(from: now))
        model.info.figures["cv_candidate"] = report.candidate.combined
        model.info.figures["cv_base"] = report.base.combined
        if let current = report.current { model.info.figures["cv_active"] = current.combined }
        let elapsed = clock.now - started
        let reportJSON = String(decoding: try JSONEncoder().encode(report), as: UTF8.self)
        try await store.saveScorerModel(ScorerModelRecord(
            version: version, createdAt: now, labelCount: all.count, labelsThrough: model.info.labelsThrough,
            report: reportJSON, accepted: report.accepted, model: ModelCodec.encode(model, compact: false)))
        return Outcome(version: version, labelCount: all.count, report: report, reportJSON: reportJSON, model: model,
                       seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18)
    }

    /// How many labels arrived after the newest trained version (accepted or not) saw its labels.
    public static func labelsSinceLastTraining(store: Store) async throws -> Int {
        let through = try await store.scorerModels().map(\.labelsThrough).max() ?? 0
        return try await store.labelCount(after: through)
    }
}

/// Retrains the installation's model inside `outcry run` once `after` new labels have arrived
/// since the last training (checked every `every`), and hands an accepted model to `activate`.
public struct RetrainService: Service {
    let store: Store
    let after: Int
    let every: TimeInterval
    let activate: @Sendable (LearnedModel) -> Void
    let logger: Logger

    public init(store: Store, after: Int, every: TimeInterval = 600, logger: Logger = Logger(label: "outcry.scorer"),
                activate: @escaping @Sendable (LearnedModel) -> Void) {
        self.store = store
        self.after = after
        self.every = every
        self.activate = activate
        self.logger = logger
    }

    /// One check: trains when enough labels arrived. Returns the training's outcome, if one ran.
    @discardableResult
    public func checkOnce(now: Date = Date()) async throws -> ScorerTraining.Outcome? {
        guard after > 0 else { return nil }
        let waiting = try await ScorerTraining.labelsSinceLastTraining(store: store)
        guard waiting >= after else { return nil }
        let outcome = try await ScorerTraining.train(store: store, now: now)
        if outcome.accepted {
            activate(outcome.model)
            logger.info("scorer: model v\(outcome.version) trained on \(outcome.labelCount) labels (\(waiting) new) and activated")
        } else {
            logger.info("scorer: model v\(outcome.version) trained on \(outcome.labelCount) labels (\(waiting) new), not better than the active one: kept inactive")
        }
        return outcome
    }

    public func run() async throws {
        guard after > 0 else { return }
        await ServiceLoop.run("scorer retraining", logger: logger, failureWait: every) {
            try await checkOnce()
            return every
        }
    }
}
