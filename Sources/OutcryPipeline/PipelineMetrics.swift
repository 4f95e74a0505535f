import Foundation
import Metrics
import OutcryModel
import OutcryStore

/// What the pipeline counts, through the swift-metrics API. The pipeline knows no
/// backend: `outcry run`'s web server bootstraps the Prometheus registry and serves it at
/// `/metrics`; without a bootstrap (the CLI's one-shot commands) these go nowhere.
///
/// Each value is made at the moment it is recorded, so a bootstrap that comes after the
/// services are built still sees every value.
public enum PipelineMetrics {
    /// `outcry_polls_total{kind, outcome}`: one per poll of a source (outcome `stored`,
    /// `not_modified`, `failed`, `store_error`, `disabled`, `skipped`), and
    /// `outcry_poll_errors_total{kind}` for the failed ones.
    public static func poll(kind: SourceKind, _ outcome: SourcePollResult.Outcome) {
        let name: String
        switch outcome {
        case .stored(let result, _):
            name = "stored"
            if result.inserted > 0 { Counter(label: "outcry_mentions_stored_total", dimensions: [("kind", kind.rawValue)]).increment(by: result.inserted) }
        case .notModified: name = "not_modified"
        case .failed: name = "failed"
        case .storeError: name = "store_error"
        case .disabled: name = "disabled"
        case .skipped: name = "skipped"
        }
        Counter(label: "outcry_polls_total", dimensions: [("kind", kind.rawValue), ("outcome", name)]).increment()
        if name == "failed" || name == "store_error" {
            Counter(label: "outcry_poll_errors_total", dimensions: [("kind", kind.rawValue)]).increment()
        }
    }

    /// `outcry_alerts_routed_total{receiver}`: an alert routed to a receiver (a row in its outbox).
    public static func routed(receiver: String) {
        Counter(label: "outcry_alerts_routed_total", dimensions: [("receiver", receiver)]).increment()
    }

    /// `outcry_deliveries_total{receiver}` for a notification sent, and
    /// `outcry_delivery_failures_total{receiver}` for one that failed (retried or dead-lettered).
    public static func delivery(receiver: String, failed: Bool) {
        Counter(label: failed ? "outcry_delivery_failures_total" : "outcry_deliveries_total", dimensions: [("receiver", receiver)]).increment()
    }

    /// `outcry_clock_lag_seconds`: how far behind its earliest due wake-up the SLA clock pass runs
    /// (0 when nothing is overdue).
    public static func clockLag(_ seconds: TimeInterval) {
        Gauge(label: "outcry_clock_lag_seconds").record(max(0, seconds))
    }
}
