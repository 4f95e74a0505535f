import OutcryFetch
import OutcryTestSupport
import Testing

@Suite struct ConditionalGetTests {
    let lastModified = "Sun, 06 Nov 1994 08:49:37 GMT"

    @Test func firstFetchIs200ThenStoredValidatorsGive304() async throws {
        try await withServer { client, server in
            server.route("/feed.xml", .resource(text: "<rss/>", etag: "\"v1\"", lastModified: lastModified))

            let first = try await client.get(server.url("/feed.xml"))
            #expect(first.status == 200)
            #expect(first.text == "<rss/>")
            #expect(first.headers["etag"] == "\"v1\"")
            #expect(first.headers["LAST-MODIFIED"] == lastModified)
            let firstRequest = try #require(server.requests(path: "/feed.xml").first)
            #expect(firstRequest.header("If-None-Match") == nil)
            #expect(firstRequest.header("User-Agent") == FetchRequest.defaultUserAgent)
            #expect(firstRequest.header("Accept-Encoding")?.contains("gzip") == true)

            let second = try await client.get(
                server.url("/feed.xml"), etag: first.headers["ETag"], lastModified: first.headers["Last-Modified"])
            #expect(second.status == 304)
            #expect(second.isNotModified)
            #expect(second.body.isEmpty)
            let secondRequest = try #require(server.requests(path: "/feed.xml").last)
            #expect(secondRequest.header("If-None-Match") == "\"v1\"")
            #expect(secondRequest.header("If-Modified-Since") == lastModified)
        }
    }

    @Test func lastModifiedAloneGives304() async throws {
        try await withServer { client, server in
            server.route("/feed.xml", .resource(text: "<rss/>", lastModified: lastModified))
            let response = try await client.get(server.url("/feed.xml"), lastModified: lastModified)
            #expect(response.status == 304)
        }
    }

    @Test func changedEtagGives200() async throws {
        try await withServer { client, server in
            server.route("/feed.xml", .resource(text: "<rss>new</rss>", etag: "\"v2\""))
            let response = try await client.get(server.url("/feed.xml"), etag: "\"v1\"")
            #expect(response.status == 200)
            #expect(response.text == "<rss>new</rss>")
        }
    }

    @Test func validatorWithLineBreakCannotInjectHeaders() async throws {
        try await withServer { client, server in
            server.route("/feed.xml", .resource(text: "<rss/>", etag: "\"v1\""))
            let response = try await client.get(server.url("/feed.xml"), etag: "\"v1\"\r\nX-Injected: yes")
            #expect(response.status == 200)
            let request = try #require(server.requests(path: "/feed.xml").first)
            #expect(request.header("X-Injected") == nil)
            #expect(server.requests.count == 1)
        }
    }

    @Test func sequentialRequestsReuseTheConnection() async throws {
        try await withServer { client, server in
            server.route("/a", .ok("a"))
            for _ in 0..<3 { _ = try await client.get(server.url("/a")) }
            #expect(Set(server.requests(path: "/a").map(\.connectionID)).count == 1)
        }
    }

    @Test func servedDirectoryAnswersConditionally() async throws {
        let directory = FileManagerFixture.temporaryDirectory()
        try Array("<feed/>".utf8).write(to: directory + "/acme.atom")
        try await withServer { client, server in
            server.serveDirectory(directory, at: "/feeds/")
            let first = try await client.get(server.url("/feeds/acme.atom"))
            #expect(first.status == 200)
            #expect(first.text == "<feed/>")
            #expect(first.headers["Content-Type"] == "application/atom+xml")
            let again = try await client.get(
                server.url("/feeds/acme.atom"), etag: first.headers["ETag"], lastModified: first.headers["Last-Modified"])
            #expect(again.status == 304)
            let missing = try await client.get(server.url("/feeds/missing.xml"))
            #expect(missing.status == 404)
            let escape = try await client.get(server.url("/feeds/../etc/passwd"))
            #expect(escape.status == 404)
        }
    }
}
