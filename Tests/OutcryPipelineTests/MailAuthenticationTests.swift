import Testing
@testable import OutcryPipeline

/// Which Authentication-Results make own-address mail the team's (issue 13, item 14).
@Suite struct MailAuthenticationTests {
    let own = try! MailboxOptions.parse(["username": "u", "password": "p", "own_addresses": "shop.example,agent@partner.example",
                                         "trusted_authserv_id": "mx.shop.example"])

    func verify(_ fields: [String], from domain: String = "shop.example") -> String? {
        MailAuthentication.verify(fields: fields, fromDomain: domain, own: own.ownAddresses, trusted: own.trustedAuthservIDs)
    }

    @Test func trustedPassesCount() {
        #expect(verify(["mx.shop.example; dkim=pass header.d=shop.example"]) == "dkim=pass header.d=shop.example by mx.shop.example")
        #expect(verify(["MX.Shop.Example; spf=pass smtp.mailfrom=agent@shop.example"]) != nil)
        #expect(verify(["mx.shop.example; dkim=pass header.d=shop.example"], from: "eu.shop.example") != nil)  // relaxed alignment
        #expect(verify(["mx.shop.example; dkim=pass header.d=partner.example"], from: "partner.example") != nil)  // an own address's domain
    }

    @Test func anythingElseDoesNot() {
        #expect(verify([]) == nil)
        #expect(verify(["mx.attacker.example; dkim=pass header.d=shop.example"]) == nil)
        #expect(verify(["mx.shop.example; dkim=fail header.d=shop.example; spf=neutral smtp.mailfrom=shop.example"]) == nil)
        #expect(verify(["mx.shop.example; dkim=pass header.d=attacker.example"]) == nil)
        #expect(verify(["mx.shop.example; dkim=pass header.d=shop.example"], from: "other.example") == nil)  // not aligned
        #expect(verify(["mx.shop.example; (dkim=pass header.d=shop.example) none"]) == nil)  // a comment is not a result
        #expect(MailAuthentication.verify(fields: ["mx.shop.example; dkim=pass header.d=shop.example"], fromDomain: "shop.example",
                                          own: own.ownAddresses, trusted: []) == nil)
    }

    @Test func theOptionIsChecked() {
        let (_, problems) = MailboxOptions.check(["username": "u", "password": "p", "trusted_authserv_id": "mx.shop.example"])
        #expect(problems.contains { $0.key == "trusted_authserv_id" && $0.description.contains("needs `own_addresses`") }, "\(problems)")
        let (_, bad) = MailboxOptions.check(["username": "u", "password": "p", "own_addresses": "shop.example", "trusted_authserv_id": "dkim=pass"])
        #expect(bad.contains { $0.key == "trusted_authserv_id" }, "\(bad)")
    }
}
