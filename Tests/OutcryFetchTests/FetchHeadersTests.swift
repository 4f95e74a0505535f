import OutcryFetch
import Testing

@Suite struct FetchHeadersTests {
    @Test func lookupIsCaseInsensitiveAndKeepsEveryValue() {
        var headers: FetchHeaders = ["Set-Cookie": "a=1"]
        headers.add("set-cookie", "b=2")
        #expect(headers["SET-COOKIE"] == "a=1")
        #expect(headers.values(for: "Set-Cookie") == ["a=1", "b=2"])
        headers.replace("Set-Cookie", "c=3")
        #expect(headers.values(for: "set-cookie") == ["c=3"])
        #expect(!headers.contains("ETag"))
    }

    @Test func permanentRedirectRun() {
        let response = FetchResponse(
            status: 200, headers: [:], body: [], requestedURL: "a", effectiveURL: "d",
            redirects: [
                FetchRedirect(status: 308, from: "a", to: "b"),
                FetchRedirect(status: 301, from: "b", to: "c"),
                FetchRedirect(status: 302, from: "c", to: "d"),
            ])
        #expect(response.permanentRedirectURL == "c")
    }
}
