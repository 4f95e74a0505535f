import Hummingbird
import Metrics
import NIOCore
import Prometheus

/// The Prometheus side of Outcry's metrics: the pipeline counts through the
/// swift-metrics API (`PipelineMetrics`); the web server bootstraps this registry as the
/// process's metrics backend and serves it at `GET /metrics` in the text exposition format.
enum MetricsExport {
    /// The process's registry, made the swift-metrics backend on first use: once per process
    /// (swift-metrics allows one bootstrap), however many servers the process builds.
    static let registry: PrometheusCollectorRegistry = {
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        return registry
    }()

    /// Everything counted so far, in Prometheus' text format.
    static func text() -> String {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(8 * 1024)
        registry.emit(into: &buffer)
        return String(decoding: buffer, as: UTF8.self)
    }

    static func response() -> Response {
        Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8", .cacheControl: "no-store"],
                 body: .init(byteBuffer: ByteBuffer(string: text())))
    }
}

/// `outcry_http_request_duration_seconds{route, method}`: how long each request took, by the
/// route's pattern (`/threads/{id}`, never the id itself, so the label set stays small).
struct RequestMetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        let route = context.endpointPath ?? "unmatched"
        defer {
            let elapsed = ContinuousClock.now - started
            let nanoseconds = elapsed.components.seconds * 1_000_000_000 + elapsed.components.attoseconds / 1_000_000_000
            Timer(label: "outcry_http_request_duration_seconds", dimensions: [("route", route), ("method", request.method.rawValue)])
                .recordNanoseconds(nanoseconds)
        }
        return try await next(request, context)
    }
}
