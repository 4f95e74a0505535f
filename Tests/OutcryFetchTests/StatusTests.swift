import Foundation
import OutcryFetch
import OutcryTestSupport
import Testing

@Suite struct StatusTests {
    @Test func goneIsReturnedNotThrown() async throws {
        try await withServer { client, server in
            server.route("/gone", .status(410, body: Array("gone".utf8)))
            let response = try await client.get(server.url("/gone"))
            #expect(response.status == 410)
            #expect(throws: FetchError(.httpStatus(410), url: server.url("/gone"), detail: "HTTP status 410")) {
                try response.checked()
            }
        }
    }

    @Test func tooManyRequestsSurfacesRetryAfterSeconds() async throws {
        try await withServer { client, server in
            server.route("/busy", .status(429, headers: [("Retry-After", "120")]))
            let response = try await client.get(server.url("/busy"))
            #expect(response.status == 429)
            #expect(response.retryAfter() == 120)
        }
    }

    @Test func unavailableSurfacesRetryAfterDate() async throws {
        try await withServer { client, server in
            let now = Date(timeIntervalSince1970: 784_111_717)  // Sun, 06 Nov 1994 08:48:37 GMT
            server.route("/down", .status(503, headers: [("Retry-After", "Sun, 06 Nov 1994 08:49:37 GMT")]))
            let response = try await client.get(server.url("/down"))
            #expect(response.status == 503)
            #expect(response.retryAfter(now: now) == 60)
        }
    }

    @Test func repeatedHeadersKeepEveryValue() async throws {
        try await withServer { client, server in
            server.route("/links", .status(200, headers: [("Link", "<a>; rel=hub"), ("link", "<b>; rel=self")]))
            let response = try await client.get(server.url("/links"))
            #expect(response.headers.values(for: "LINK") == ["<a>; rel=hub", "<b>; rel=self"])
        }
    }

    @Test func postSendsBodyAndHeaders() async throws {
        try await withServer { client, server in
            server.route("/hook", .status(202))
            let response = try await client.post(
                server.url("/hook"), headers: ["Content-Type": "application/json"], body: Array("{\"a\":1}".utf8))
            #expect(response.status == 202)
            let request = try #require(server.requests(path: "/hook").first)
            #expect(request.method == "POST")
            #expect(request.body == Array("{\"a\":1}".utf8))
            #expect(request.header("Content-Type") == "application/json")
            #expect(request.header("Expect") == nil)
        }
    }
}
