import OutcryFetch
import OutcryTestSupport
import Testing

/// Redirects into the machine or its network (issue 13, item 16). The test server listens on
/// 127.0.0.1, so a public-looking name is stood on it with `FetchRequest.resolve`
/// (`CURLOPT_RESOLVE`): libcurl connects to 127.0.0.1 while the URL names a public host.
@Suite struct RedirectPolicyTests {
    func request(_ url: String, server: TestHTTPServer, names: [String] = ["feeds.example.com", "cdn.example.net"]) -> FetchRequest {
        var request = FetchRequest(url: url, timeout: .seconds(10))
        request.resolve = names.map { "\($0):\(server.port):127.0.0.1" }
        return request
    }

    @Test func aPublicURLMayNotRedirectToLoopback() async throws {
        try await withServer { client, server in
            server.route("/feed", .redirect(302, to: server.url("/internal")))
            server.route("/internal", .ok("secret admin page"))
            let error = await fetchError {
                try await client.fetch(request("http://feeds.example.com:\(server.port)/feed", server: server))
            }
            #expect(error?.code == .internalAddress(address: "127.0.0.1", kind: "loopback"), "\(String(describing: error))")
            #expect(error?.description.contains("redirect to 127.0.0.1 (loopback) refused") == true, "\(String(describing: error))")
            #expect(server.requests(path: "/internal").isEmpty, "the internal URL was requested")
        }
    }

    @Test func aNameThatResolvesToAnInternalAddressIsCaughtToo() async throws {
        try await withServer { client, server in
            // The redirect names a public-looking host, but it resolves to 127.0.0.1.
            server.route("/feed", .redirect(301, to: "http://cdn.example.net:\(server.port)/moved"))
            server.route("/moved", .ok("internal"))
            let error = await fetchError {
                try await client.fetch(request("http://feeds.example.com:\(server.port)/feed", server: server))
            }
            #expect(error?.code == .internalAddress(address: "127.0.0.1", kind: "loopback"), "\(String(describing: error))")
            #expect(server.requests(path: "/moved").isEmpty)
        }
    }

    @Test func aRedirectToTheMetadataServiceIsRefusedBeforeConnecting() async throws {
        try await withServer { client, server in
            server.route("/feed", .redirect(308, to: "http://169.254.169.254/latest/meta-data/iam/security-credentials/"))
            var r = request("http://feeds.example.com:\(server.port)/feed", server: server)
            r.connectTimeout = .seconds(40)
            r.timeout = .seconds(60)
            let error = await fetchError { try await client.fetch(r) }
            // Refused by the address check (a connect attempt would end in .connect or .timeout).
            #expect(error?.code == .internalAddress(address: "169.254.169.254", kind: "link-local"), "\(String(describing: error))")
        }
    }

    @Test func aRedirectStoresNoInternalURLAsPermanent() async throws {
        // Formerly the 301/308 target was stored as the source's new URL for good.
        try await withServer { client, server in
            server.route("/feed", .redirect(301, to: "http://[::ffff:127.0.0.1]:\(server.port)/x"))
            let error = await fetchError {
                try await client.fetch(request("http://feeds.example.com:\(server.port)/feed", server: server))
            }
            #expect(error?.code == .internalAddress(address: "::ffff:127.0.0.1", kind: "loopback"), "\(String(describing: error))")
        }
    }

    @Test func anInternalConfiguredURLMayRedirectInternally() async throws {
        try await withServer { client, server in
            server.route("/a", .redirect(302, to: "http://localhost:\(server.port)/b"))
            server.route("/b", .ok("fine"))
            let response = try await client.fetch(request(server.url("/a"), server: server))
            #expect(response.status == 200 && response.text == "fine")
        }
    }

    @Test func anIntranetNameMayRedirectOnItself() async throws {
        // The configured name led to an internal address, and the redirect stays on that name.
        try await withServer { client, server in
            server.route("/old", .redirect(301, to: "http://feeds.example.com:\(server.port)/new"))
            server.route("/new", .ok("moved"))
            let response = try await client.fetch(request("http://feeds.example.com:\(server.port)/old", server: server))
            #expect(response.status == 200 && response.permanentRedirectURL == "http://feeds.example.com:\(server.port)/new")
        }
    }

    @Test func theRedirectCheckCanBeTurnedOff() async throws {
        try await withServer { client, server in
            server.route("/feed", .redirect(302, to: server.url("/internal")))
            server.route("/internal", .ok("ok"))
            var r = request("http://feeds.example.com:\(server.port)/feed", server: server)
            r.internalRedirects = .allowed
            let response = try await client.fetch(r)
            #expect(response.text == "ok")
        }
    }

    @Test(arguments: [307, 308, 301, 302])
    func aWebhookPostNeverFollowsARedirect(status: Int) async throws {
        try await withServer { client, server in
            server.route("/hook", .redirect(status, to: "/elsewhere"))
            server.route("/elsewhere", .ok("got it"))
            var headers = FetchHeaders()
            headers.add("X-Outcry-Signature", "sha256=abc")
            let response = try await client.post(server.url("/hook"), headers: headers, body: Array("{\"signed\":true}".utf8))
            #expect(response.status == status && !response.isSuccess)
            #expect(server.requests(path: "/elsewhere").isEmpty, "the signed body was sent again")
            #expect(server.requests(path: "/hook").count == 1)
            // Even a POST built by hand with redirects allowed does not follow.
            let manual = try await client.fetch(FetchRequest(url: server.url("/hook"), method: .post, body: [1], maxRedirects: 5))
            #expect(manual.status == status && server.requests(path: "/elsewhere").isEmpty)
        }
    }
}
