import OutcryFetch
import OutcryTestSupport
import Testing

@Suite struct RedirectTests {
    @Test func redirectLoopStopsWithTooManyRedirects() async throws {
        try await withServer { client, server in
            server.route("/a", .redirect(302, to: "/b"))
            server.route("/b", .redirect(302, to: "/a"))
            let error = await fetchError { try await client.get(server.url("/a")) }
            #expect(error?.code == .tooManyRedirects(limit: 5))
            #expect(error?.description.contains(server.url("/a")) == true)
            #expect(server.requests.count == 6)  // the original request and 5 redirects
        }
    }

    @Test func movedPermanentlyIsReportedWithItsTarget() async throws {
        try await withServer { client, server in
            server.route("/old", .redirect(301, to: "/new"))
            server.route("/new", .ok("moved here"))
            let response = try await client.get(server.url("/old"))
            #expect(response.status == 200)
            #expect(response.text == "moved here")
            #expect(response.effectiveURL == server.url("/new"))
            #expect(response.redirects == [FetchRedirect(status: 301, from: server.url("/old"), to: server.url("/new"))])
            #expect(response.permanentRedirectURL == server.url("/new"))
        }
    }

    @Test func permanentRunEndsAtTheFirstTemporaryRedirect() async throws {
        try await withServer { client, server in
            server.route("/p1", .redirect(301, to: "/p2"))
            server.route("/p2", .redirect(308, to: server.url("/p3")))
            server.route("/p3", .redirect(302, to: "/final"))
            server.route("/final", .ok("done"))
            let response = try await client.get(server.url("/p1"))
            #expect(response.redirects.map(\.status) == [301, 308, 302])
            #expect(response.permanentRedirectURL == server.url("/p3"))
            #expect(response.effectiveURL == server.url("/final"))
        }
    }

    @Test func temporaryFirstHopMeansNoPermanentMove() async throws {
        try await withServer { client, server in
            server.route("/t", .redirect(307, to: "/u"))
            server.route("/u", .redirect(301, to: "/final"))
            server.route("/final", .ok("done"))
            let response = try await client.get(server.url("/t"))
            #expect(response.status == 200)
            #expect(response.permanentRedirectURL == nil)
        }
    }

    @Test func redirectToLocalFileIsRefused() async throws {
        try await withServer { client, server in
            server.route("/evil", .redirect(302, to: "file:///etc/passwd"))
            let error = await fetchError { try await client.get(server.url("/evil")) }
            #expect(error?.code == .invalidURL)
        }
    }
}
