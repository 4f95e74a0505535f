import OutcryFetch
import OutcryTestSupport
import Testing

@Suite struct LimitTests {
    @Test func endlessSlowBodyHitsTheTotalTimeout() async throws {
        try await withServer { client, server in
            server.route("/slow", .drip(every: .milliseconds(100)))
            var request = FetchRequest(url: server.url("/slow"))
            request.timeout = .seconds(1)
            let error = await fetchError { try await client.fetch(request) }
            #expect(error?.code == .timeout)
            #expect(error?.description.contains(server.url("/slow")) == true)
            // The body never ends (and never slows below the low-speed limit): only the total
            // timeout stops it, and curl says so ("timed out after 1000 milliseconds").
            #expect(error?.description.contains("timed out after") == true, "\(String(describing: error))")
        }
    }

    @Test func tricklingBodyHitsTheLowSpeedLimit() async throws {
        try await withServer { client, server in
            server.route("/trickle", .drip(every: .milliseconds(250)))
            var request = FetchRequest(url: server.url("/trickle"))
            request.timeout = .seconds(30)
            request.lowSpeedLimit = .init(bytesPerSecond: 100, duration: .seconds(1))
            let error = await fetchError { try await client.fetch(request) }
            #expect(error?.code == .timeout)
            // The low-speed limit stopped it, not the 30 s total timeout (curl says which; the
            // time it took is no proof on a loaded machine, where it once took 25 s).
            #expect(error?.description.contains("too slow") == true, "\(String(describing: error))")
        }
    }

    @Test func aContentLengthPastTheCapIsRefusedBeforeTheBody() async throws {
        try await withServer { client, server in
            // The server promises 50 MB, sends five bytes and then nothing: a client that waited
            // for the body would end in the timeout, so `.tooLarge` proves the header refused it.
            server.route("/huge", .promise(declaredLength: 50_000_000))
            var request = FetchRequest(url: server.url("/huge"))
            request.maxBodyBytes = 1 << 20
            request.timeout = .seconds(120)
            let error = await fetchError { try await client.fetch(request) }
            #expect(error?.code == .tooLarge(limit: 1 << 20), "\(String(describing: error))")
            #expect(error?.description.contains(server.url("/huge")) == true)
        }
    }

    @Test func chunkedBodyIsAbortedAtTheCap() async throws {
        try await withServer { client, server in
            server.route("/chunked", .drip([UInt8](repeating: 0x61, count: 64 * 1024), every: .milliseconds(1)))
            var request = FetchRequest(url: server.url("/chunked"))
            request.maxBodyBytes = 1 << 20
            let error = await fetchError { try await client.fetch(request) }
            #expect(error?.code == .tooLarge(limit: 1 << 20))
        }
    }

    @Test func bodyExactlyAtTheCapIsAccepted() async throws {
        try await withServer { client, server in
            server.route("/exact", .status(200, body: [UInt8](repeating: 0x62, count: 1000)))
            var request = FetchRequest(url: server.url("/exact"))
            request.maxBodyBytes = 1000
            let response = try await client.fetch(request)
            #expect(response.body.count == 1000)
        }
    }

    @Test func gzipBodyIsDecoded() async throws {
        let text = String(repeating: "<item>the parcel never arrived</item>\n", count: 2_000)
        try await withServer { client, server in
            server.route("/gz", .gzip(Array(text.utf8)))
            let response = try await client.get(server.url("/gz"))
            #expect(response.status == 200)
            #expect(response.headers["Content-Encoding"] == "gzip")
            #expect(response.text == text)
        }
    }

    @Test func gzipBombStopsAtTheCapOnDecodedBytes() async throws {
        try await withServer { client, server in
            server.route("/bomb", .gzipBomb(decodedBytes: 64 << 20))
            var request = FetchRequest(url: server.url("/bomb"))
            request.maxBodyBytes = 1 << 20
            let error = await fetchError { try await client.fetch(request) }
            #expect(error?.code == .tooLarge(limit: 1 << 20))
        }
    }

    @Test func emptyBodyIs200WithNoBytes() async throws {
        try await withServer { client, server in
            server.route("/empty", .status(200))
            let response = try await client.get(server.url("/empty"))
            #expect(response.status == 200)
            #expect(response.body.isEmpty)
        }
    }
}
