import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import OutcryApp
import OutcryModel
import OutcryPipeline
import OutcryStore
import Testing
@testable import OutcryWeb

/// `/readyz` and `/openapi.json` (issue 17).
@Suite struct OperationsTests {
    static func withServer(_ body: (WebServer, Store) async throws -> Void) async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("outcry-ops-\(UUID().uuidString)").path
        let store = try await Store.open(directory: dir)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let web = WebServer(desk: Desk(store: store, alerting: nil), settings: WebSettings(host: "127.0.0.1", port: 0, apiToken: "ops-token-0123456789"))
        do { try await body(web, store) } catch {
            try? await store.close()
            throw error
        }
        try? await store.close()
    }

    @Test func readyWhenTheStoreAnswersAndNotOnceItIsGone() async throws {
        try await Self.withServer { web, store in
            try await web.application().test(.router) { client in
                let ready = try await client.execute(uri: "/readyz", method: .get)
                #expect(ready.status == .ok && String(buffer: ready.body) == "ready\n")
                #expect(ready.headers[.cacheControl] == "no-store")
                try await store.close()
                let gone = try await client.execute(uri: "/readyz", method: .get)
                #expect(gone.status == .serviceUnavailable)
                #expect(String(buffer: gone.body).hasPrefix("not ready: the store does not answer"), "\(String(buffer: gone.body))")
                // Liveness is another question: the process still answers.
                #expect(try await client.execute(uri: "/healthz", method: .get).status == .ok)
            }
        }
    }

    /// Every route the router serves is in the OpenAPI document (or is one of the dashboard's
    /// HTML pages), with its method; every path the document names is a route.
    @Test func theOpenAPIDocumentCoversEveryRoute() async throws {
        try await Self.withServer { web, _ in
            let document = try #require(try JSONSerialization.jsonObject(with: Data(OpenAPIDocument.json.utf8)) as? [String: Any])
            #expect((document["openapi"] as? String)?.hasPrefix("3.") == true)
            let paths = try #require(document["paths"] as? [String: [String: Any]])
            let routes = web.router().routes.map { (method: $0.method.rawValue, path: $0.path.description) }
            #expect(routes.count > 15)
            var missing: [String] = []
            for route in routes where !OpenAPIDocument.pageRoutes.contains("\(route.method) \(route.path)") {
                if paths[route.path]?[route.method.lowercased()] == nil { missing.append("\(route.method) \(route.path)") }
            }
            #expect(missing.isEmpty, "routes missing from /openapi.json: \(missing)")
            let served = Set(routes.map { "\($0.method.lowercased()) \($0.path)" })
            for (path, operations) in paths {
                for method in operations.keys {
                    #expect(served.contains("\(method) \(path)"), "/openapi.json names \(method) \(path), which is not a route")
                }
            }
            let pages = Set(routes.map { "\($0.method) \($0.path)" })
            for page in OpenAPIDocument.pageRoutes { #expect(pages.contains(page), "\(page) is listed as a page but not routed") }
            // And it is served as JSON.
            try await web.application().test(.router) { client in
                let response = try await client.execute(uri: "/openapi.json", method: .get)
                #expect(response.status == .ok && response.headers[.contentType] == "application/json; charset=utf-8")
                #expect(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) is [String: Any])
            }
        }
    }

    /// The pipeline's counts (through swift-metrics) and each route's latency come out of
    /// `/metrics` in Prometheus' text format.
    @Test func metricsCarryThePipelineCountsAndRouteLatency() async throws {
        try await Self.withServer { web, _ in
            try await web.application().test(.router) { client in
                #expect(try await client.execute(uri: "/healthz", method: .get).status == .ok)
                #expect(try await client.execute(uri: "/openapi.json", method: .get).status == .ok)
                PipelineMetrics.poll(kind: .imap, .failed("connection refused", retryAt: Date()))
                PipelineMetrics.poll(kind: .feed, .notModified)
                var ingest = IngestResult()
                ingest.inserted = 3
                PipelineMetrics.poll(kind: .json, .stored(ingest, warning: nil))
                PipelineMetrics.routed(receiver: "ops-hook")
                PipelineMetrics.delivery(receiver: "ops-hook", failed: false)
                PipelineMetrics.delivery(receiver: "ops-pager", failed: true)
                PipelineMetrics.clockLag(2.5)
                let response = try await client.execute(uri: "/metrics", method: .get)
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.hasPrefix("text/plain; version=0.0.4") == true)
                let text = String(buffer: response.body)
                let lines = text.split(separator: "\n").map(String.init)
                func has(_ prefix: String, _ parts: [String] = []) -> Bool {
                    lines.contains { line in line.hasPrefix(prefix) && parts.allSatisfy { line.contains($0) } }
                }
                #expect(has("outcry_polls_total{", [#"kind="imap""#, #"outcome="failed""#]), "\(text)")
                #expect(has("outcry_polls_total{", [#"kind="feed""#, #"outcome="not_modified""#]))
                #expect(has(#"outcry_poll_errors_total{kind="imap"}"#))
                #expect(!has(#"outcry_poll_errors_total{kind="feed"}"#))
                #expect(has(#"outcry_mentions_stored_total{kind="json"}"#))
                #expect(has("outcry_polls_total{", [#"kind="json""#, #"outcome="stored""#]))
                #expect(has(#"outcry_alerts_routed_total{receiver="ops-hook"}"#))
                #expect(has(#"outcry_deliveries_total{receiver="ops-hook"}"#))
                #expect(has(#"outcry_delivery_failures_total{receiver="ops-pager"}"#))
                #expect(has("outcry_clock_lag_seconds 2.5"))
                #expect(has("outcry_http_request_duration_seconds_count{", [#"route="/healthz""#, #"method="GET""#]), "\(text)")
                #expect(has("outcry_http_request_duration_seconds_bucket{", [#"route="/openapi.json""#]))
            }
        }
    }
}
