import Foundation
import OutcryFetch
import OutcryTestSupport
import Testing

@Suite struct ErrorTests {
    @Test func connectionResetIsAClearError() async throws {
        try await withServer { client, server in
            server.route("/reset", .reset())
            // The reset comes after the partial body; on a loaded machine the test server's task can
            // wait long for a thread, so curl's own 30 s stall limit must not answer first.
            var request = FetchRequest(url: server.url("/reset"))
            request.timeout = .seconds(600)
            request.lowSpeedLimit = FetchRequest.LowSpeedLimit(bytesPerSecond: 1, duration: .seconds(600))
            let error = await fetchError { try await client.fetch(request) }
            #expect(error?.code == .connectionReset)
            #expect(error?.description.contains(server.url("/reset")) == true)
            #expect(error?.isTransient == true)
        }
    }

    @Test func unresolvableHostNamesTheURL() async throws {
        let client = FetchClient()
        let url = "http://outcry-test-host.invalid/feed.xml"
        let error = await fetchError { try await client.get(url) }
        #expect(error?.code == .resolve)
        #expect(error?.description.hasPrefix(url) == true)
        await client.shutdown()
    }

    @Test func refusedPortIsAConnectError() async throws {
        let client = FetchClient()
        let url = "http://127.0.0.1:1/feed.xml"
        let error = await fetchError { try await client.get(url) }
        #expect(error?.code == .connect)
        #expect(error?.description.contains(url) == true)
        await client.shutdown()
    }

    @Test func unsupportedSchemeIsInvalidURL() async throws {
        let client = FetchClient()
        let error = await fetchError { try await client.get("ftp://127.0.0.1/feed.xml") }
        #expect(error?.code == .invalidURL)
        let garbage = await fetchError { try await client.get("not a url") }
        #expect(garbage?.code == .invalidURL || garbage?.code == .resolve)
        await client.shutdown()
    }

    @Test func fileURLIsReadAs200() async throws {
        let directory = FileManagerFixture.temporaryDirectory()
        try Array("<rss>local</rss>".utf8).write(to: directory + "/local.xml")
        let client = FetchClient()
        let response = try await client.get("file://" + directory + "/local.xml")
        #expect(response.status == 200)
        #expect(response.text == "<rss>local</rss>")
        await client.shutdown()
    }

    @Test func missingFileIsFileNotFound() async throws {
        let client = FetchClient()
        let url = "file:///nonexistent/outcry/feed.xml"
        let error = await fetchError { try await client.get(url) }
        #expect(error?.code == .fileNotFound)
        #expect(error?.description.contains(url) == true)
        await client.shutdown()
    }

    @Test func fileLargerThanTheCapIsRefused() async throws {
        let directory = FileManagerFixture.temporaryDirectory()
        try [UInt8](repeating: 0x61, count: 4096).write(to: directory + "/big.xml")
        let client = FetchClient()
        var request = FetchRequest(url: "file://" + directory + "/big.xml")
        request.maxBodyBytes = 1000
        let error = await fetchError { try await client.fetch(request) }
        #expect(error?.code == .tooLarge(limit: 1000))
        await client.shutdown()
    }
}
