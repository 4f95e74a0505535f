import Foundation
@testable import OutcryAlerting
import Testing

@Suite struct SigningTests {
    /// RFC 4231 HMAC-SHA256 test cases 1, 2, 3 and 6.
    static let rfc4231: [([UInt8], [UInt8], String)] = [
        ([UInt8](repeating: 0x0b, count: 20), Array("Hi There".utf8),
         "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"),
        (Array("Jefe".utf8), Array("what do ya want for nothing?".utf8),
         "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"),
        ([UInt8](repeating: 0xaa, count: 20), [UInt8](repeating: 0xdd, count: 50),
         "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"),
        ([UInt8](repeating: 0xaa, count: 131), Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8),
         "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"),
    ]

    @Test(arguments: rfc4231.indices)
    func hmacMatchesRFC4231(_ i: Int) {
        let (key, message, expected) = Self.rfc4231[i]
        #expect(HMACSigner.hexMAC(key: key, message: message) == expected)
        #expect(HMACSigner.isValid(HMACSigner.unhex(expected)!, key: key, message: message))
    }

    @Test func webhookSignatureVector() {
        // python3: hmac.new(b'whsec_test', b'1774260000.{"hello":"world"}', hashlib.sha256).hexdigest()
        let sig = WebhookMessage.signature(secret: Array("whsec_test".utf8), timestamp: "1774260000", body: Data(#"{"hello":"world"}"#.utf8))
        #expect(sig == "9e308e3eb3dd5a2fe44efe8ae7f1c4b04d3a1b4a63e72a8b3dba8b58cb4f9246")
    }

    static let key = Array("0123456789abcdef0123456789abcdef".utf8)
    static let now = utc("2026-03-23T10:00:00Z")

    @Test func ackTokenRoundTrip() throws {
        let signer = AckTokenSigner(key: Self.key)
        let token = signer.token(threadID: "42", expiresAt: Self.now + 3600)
        #expect(try signer.verify(token, now: Self.now) == "42")
        #expect(try signer.verify(token, now: Self.now + 3599) == "42")
        #expect(!token.contains("/") && !token.contains("+") && !token.contains("="))
    }

    static func tampered() -> [(String, AckTokenSigner.VerifyError)] {
        let signer = AckTokenSigner(key: key)
        let token = signer.token(threadID: "42", expiresAt: now + 3600)
        let parts = token.split(separator: ".").map(String.init)
        let otherPayload = Base64URL.encode(Array("v1|43|\(Int(now.timeIntervalSince1970) + 3600)".utf8))
        let longer = Base64URL.encode(Array("v1|42|\(Int(now.timeIntervalSince1970) + 999_999)".utf8))
        var flipped = Array(parts[1])
        flipped[3] = flipped[3] == "A" ? "B" : "A"
        return [
            (otherPayload + "." + parts[1], .badSignature),
            (longer + "." + parts[1], .badSignature),
            (parts[0] + "." + String(flipped), .badSignature),
            (AckTokenSigner(key: Array("another key, another key, another".utf8)).token(threadID: "42", expiresAt: now + 3600), .badSignature),
            (signer.token(threadID: "42", expiresAt: now), .expired(at: now)),
            (signer.token(threadID: "42", expiresAt: now - 10), .expired(at: now - 10)),
            ("not-a-token", .malformed),
            (parts[0] + ".", .badSignature),
            ("!!!." + parts[1], .malformed),
        ]
    }

    @Test(arguments: tampered().indices)
    func ackTokenRejectsTamperingAndExpiry(_ i: Int) {
        let (token, expected) = Self.tampered()[i]
        let error = #expect(throws: AckTokenSigner.VerifyError.self) { try AckTokenSigner(key: Self.key).verify(token, now: Self.now) }
        #expect(error == expected)
    }
}

@Suite struct AckTokenIDTests {
    @Test(arguments: ["42", "thread|with|bars", "ünïcode", ""])
    func anyThreadIDRoundTrips(_ id: String) throws {
        let signer = AckTokenSigner(key: Array("k".utf8))
        let now = utc("2026-03-23T10:00:00Z")
        #expect(try signer.verify(signer.token(threadID: id, expiresAt: now + 60), now: now) == id)
    }
}
