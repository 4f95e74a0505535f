import Foundation
import OutcryFetch
import Testing

@Suite struct CacheHeadersTests {
    // Sun, 06 Nov 1994 08:49:37 GMT
    let reference = Date(timeIntervalSince1970: 784_111_777)

    @Test(arguments: [
        "Sun, 06 Nov 1994 08:49:37 GMT",
        "Sunday, 06-Nov-94 08:49:37 GMT",
        "Sun Nov  6 08:49:37 1994",
    ])
    func httpDateParsesAllThreeForms(_ value: String) {
        #expect(HTTPDate.parse(value) == reference)
    }

    @Test(arguments: ["", "tomorrow", "Sun, 32 Nov 1994 08:49:37 GMT", "Sun, 06 Foo 1994 08:49:37 GMT", "0"])
    func httpDateRejectsGarbage(_ value: String) {
        #expect(HTTPDate.parse(value) == nil)
    }

    @Test func retryAfterSeconds() {
        #expect(CacheHeaders.retryAfter("120", now: reference) == 120)
        #expect(CacheHeaders.retryAfter(" 0 ", now: reference) == 0)
    }

    @Test func retryAfterDateIsRelativeToNowAndNeverNegative() {
        #expect(CacheHeaders.retryAfter("Sun, 06 Nov 1994 08:51:37 GMT", now: reference) == 120)
        #expect(CacheHeaders.retryAfter("Sun, 06 Nov 1994 08:00:00 GMT", now: reference) == 0)
    }

    @Test(arguments: ["-5", "1.5", "soon", ""])
    func retryAfterInvalidIsNil(_ value: String) {
        #expect(CacheHeaders.retryAfter(value, now: reference) == nil)
    }

    @Test func maxAge() {
        #expect(CacheHeaders.maxAge(cacheControl: "public, max-age=300") == 300)
        #expect(CacheHeaders.maxAge(cacheControl: "Max-Age=\"60\", must-revalidate") == 60)
        #expect(CacheHeaders.maxAge(cacheControl: "no-cache") == 0)
        #expect(CacheHeaders.maxAge(cacheControl: "public") == nil)
        #expect(CacheHeaders.maxAge(cacheControl: "max-age=abc") == nil)
        #expect(CacheHeaders.maxAge(cacheControl: "s-maxage=100") == nil)
    }

    @Test func expiresIsRelativeToDateHeader() {
        #expect(CacheHeaders.expires("Sun, 06 Nov 1994 09:49:37 GMT", date: "Sun, 06 Nov 1994 08:49:37 GMT", now: .distantFuture) == 3600)
        #expect(CacheHeaders.expires("Sun, 06 Nov 1994 08:59:37 GMT", now: reference) == 600)
        #expect(CacheHeaders.expires("0", now: reference) == 0)
        #expect(CacheHeaders.expires(nil, now: reference) == nil)
    }

    @Test func maxAgeWinsOverExpires() {
        let lifetime = CacheHeaders.freshnessLifetime(
            cacheControl: "max-age=30", expires: "Sun, 06 Nov 1994 09:49:37 GMT", date: nil, now: reference)
        #expect(lifetime == 30)
        let fromExpires = CacheHeaders.freshnessLifetime(
            cacheControl: "public", expires: "Sun, 06 Nov 1994 09:49:37 GMT", date: nil, now: reference)
        #expect(fromExpires == 3600)
    }
}
