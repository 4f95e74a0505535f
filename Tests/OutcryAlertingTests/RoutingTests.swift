import Foundation
@testable import OutcryAlerting
import OutcryModel
import Testing

@Suite struct RoutingTests {
    /// Inline configuration, as the YAML under `routes:` and `quiet_hours:` decodes.
    static let configJSON = """
    {
      "quiet_hours": {
        "night": {"time_zone": "Europe/London",
                  "hours": {"mon": ["20:00-08:00"], "tue": ["20:00-08:00"], "wed": ["20:00-08:00"], "thu": ["20:00-08:00"],
                            "fri": ["20:00-08:00"], "sat": ["20:00-08:00"], "sun": ["20:00-08:00"]}}
      },
      "routes": {
        "receiver": "comms-slack",
        "group_by": ["brand"],
        "group_wait": "30s",
        "quiet_hours": ["night"],
        "routes": [
          {"name": "legal", "matchers": ["severity=P1", "urgency=~\\"legal|regulator\\""], "receiver": "legal-email", "continue": true,
           "quiet_hours": []},
          {"name": "social", "matchers": ["channel=social"], "receiver": "social-slack", "repeat_interval": "1h",
           "routes": [
             {"name": "vip", "matchers": ["segment=vip"], "group_wait": "10s", "group_by": ["brand", "segment"]},
             {"name": "not-english", "matchers": ["language!~en|"], "receiver": "intl-teams"}
           ]},
          {"name": "not-mail", "matchers": ["channel!=mail", "brand!=acme"], "receiver": "general"}
        ]
      }
    }
    """

    static let receivers: Set<String> = ["comms-slack", "legal-email", "social-slack", "intl-teams", "general"]

    static func tree() throws -> RoutingTree {
        try RoutingTree(config: decodeJSON(RoutingConfig.self, configJSON), receivers: receivers)
    }

    static func alert(_ severity: Severity, _ channel: Channel, urgency: [UrgencyCategory] = [], brand: String? = "acme",
                      segment: String? = nil, language: String? = nil) -> ThreadAlert {
        ThreadAlert(id: "a1", threadID: "1", title: "t", severity: severity, urgency: urgency, brand: brand, source: "src",
                    channel: channel, segment: segment, language: language, firedAt: utc("2026-03-23T10:00:00Z"))
    }

    static let cases: [(ThreadAlert, [String], [String])] = [
        // continue on 'legal' lets 'social' match too.
        (alert(.p1, .social, urgency: [.legal, .press]), ["root/legal", "root/social"], ["legal-email", "social-slack"]),
        // A matching child (even with continue) means the parent itself is not a match.
        (alert(.p1, .mail, urgency: [.regulator]), ["root/legal"], ["legal-email"]),
        (alert(.p2, .social, urgency: [.legal]), ["root/social"], ["social-slack"]),
        // Children inherit the receiver; first matching child without continue wins.
        (alert(.p2, .social, segment: "vip", language: "de"), ["root/social/vip"], ["social-slack"]),
        (alert(.p2, .social, language: "de"), ["root/social/not-english"], ["intl-teams"]),
        (alert(.p3, .feed, brand: "globex"), ["root/not-mail"], ["general"]),
        (alert(.p3, .feed, brand: "acme"), ["root"], ["comms-slack"]),
        (alert(.p3, .mail, brand: nil), ["root"], ["comms-slack"]),
    ]

    @Test(arguments: cases.indices)
    func matchesRoutes(_ i: Int) throws {
        let (alert, ids, receivers) = Self.cases[i]
        let matches = try Self.tree().match(alert)
        #expect(matches.map(\.route.id) == ids)
        #expect(matches.map(\.receiver) == receivers)
    }

    @Test func reasonPath() throws {
        let m = try Self.tree().match(Self.alert(.p1, .social, urgency: [.legal]))
        #expect(m[0].reasons == [
            "route 'root' matched (no matchers)",
            "route 'legal' matched severity=P1, urgency=~legal|regulator (urgency=legal)",
        ])
        #expect(m[0].explanation == "route 'root' matched (no matchers) → route 'legal' matched severity=P1, urgency=~legal|regulator (urgency=legal)")
    }

    @Test func inheritanceOfOptions() throws {
        let tree = try Self.tree()
        let vip = try #require(tree.match(Self.alert(.p2, .social, segment: "vip")).first?.route)
        #expect(vip.grouping.groupWait == 10)
        #expect(vip.grouping.repeatInterval == 3600)    // from 'social'
        #expect(vip.grouping.groupInterval == 300)      // default
        #expect(vip.grouping.groupBy == [.brand, .segment])
        #expect(vip.quietHours == ["night"])
        let legal = try #require(tree.match(Self.alert(.p1, .mail, urgency: [.legal])).first)
        #expect(legal.route.quietHours.isEmpty)
        #expect(legal.groupKey == "root/legal:{brand=\"acme\"}")
        let vipMatch = try #require(tree.match(Self.alert(.p2, .social, segment: "vip")).first)
        #expect(vipMatch.groupKey == "root/social/vip:{brand=\"acme\",segment=\"vip\"}")
    }

    /// Quiet hours 20:00–08:00 London on the root; P1 overrides them.
    static let quietCases: [(Severity, String, String, Bool)] = [
        (.p2, "2026-03-23 22:00", "2026-03-24 08:00", false),
        (.p2, "2026-03-23 12:00", "2026-03-23 12:00", false),
        (.p2, "2026-03-24 07:59", "2026-03-24 08:00", false),
        (.p1, "2026-03-23 22:00", "2026-03-23 22:00", true),
        (.p3, "2026-03-28 23:30", "2026-03-29 08:00", false),   // DST night: 08:00 BST
    ]

    @Test(arguments: quietCases.indices)
    func quietHoursWithP1Override(_ i: Int) throws {
        let (severity, now, expected, overridden) = Self.quietCases[i]
        let d = try Self.tree().decide(Self.alert(severity, .mail), crisisBrands: [], now: local(now))
        #expect(d.count == 1)
        #expect(d[0].action == .deliver(notBefore: local(expected)))
        #expect(d[0].reasons.contains { $0.contains("overridden") } == overridden)
    }

    @Test func crisisFoldsIndividualAlerts() throws {
        let tree = try Self.tree()
        let now = local("2026-03-23 12:00")
        let folded = tree.decide(Self.alert(.p2, .social, brand: "acme"), crisisBrands: ["acme"], now: now)
        #expect(folded.map(\.action) == [.foldIntoCrisis(brand: "acme")])
        #expect(folded[0].reasons.last == "brand 'acme' is in crisis: folded into the crisis alert")
        var crisis = Self.alert(.p1, .social, brand: "acme")
        crisis.kind = .crisis
        #expect(tree.decide(crisis, crisisBrands: ["acme"], now: now).map(\.action) == [.deliver(notBefore: now)])
        #expect(tree.decide(Self.alert(.p2, .social, brand: "globex"), crisisBrands: ["acme"], now: now).map(\.action) == [.deliver(notBefore: now)])
    }

    static let matcherCases: [(String, ThreadAlert, Bool)] = [
        ("severity=P1", alert(.p1, .mail), true),
        ("severity!=P1", alert(.p1, .mail), false),
        ("urgency=legal", alert(.p2, .mail, urgency: [.press, .legal]), true),
        ("urgency!=legal", alert(.p2, .mail, urgency: [.press, .legal]), false),
        ("urgency!=legal", alert(.p2, .mail), true),
        ("urgency=\"\"", alert(.p2, .mail), true),
        ("brand=~ac.*", alert(.p2, .mail, brand: "acme"), true),
        ("brand=~cme", alert(.p2, .mail, brand: "acme"), false),   // anchored
        ("brand!~ac.*", alert(.p2, .mail, brand: "acme"), false),
        ("segment=", alert(.p2, .mail), true),
        ("language=~\"de|fr\"", alert(.p2, .mail, language: "fr"), true),
    ]

    @Test(arguments: matcherCases.indices)
    func matcherSemantics(_ i: Int) throws {
        let (text, alert, expected) = Self.matcherCases[i]
        #expect(try Matcher(parsing: text).matches(alert) == expected, "\(text)")
    }

    static let badRoutes: [(String, String)] = [
        (#"{"routes": {"receiver": "comms-slack", "routes": [{"matchers": ["colour=red"]}]}}"#, "unknown label 'colour'"),
        (#"{"routes": {"receiver": "comms-slack", "routes": [{"matchers": ["brand=~(unclosed"]}]}}"#, "not a valid regular expression"),
        (#"{"routes": {"receiver": "comms-slack", "routes": [{"matchers": ["severity=P9"]}]}}"#, "'P9' is not a severity"),
        (#"{"routes": {"receiver": "nobody"}}"#, "receiver 'nobody' is not defined"),
        (#"{"routes": {"receiver": "comms-slack", "quiet_hours": ["weekend"]}}"#, "quiet hours 'weekend' are not defined"),
        (#"{"routes": {"routes": []}}"#, "root route needs a receiver"),
        (#"{"routes": {"receiver": "comms-slack", "routes": [{"matchers": ["severity"]}]}}"#, "expected label=value"),
    ]

    @Test(arguments: badRoutes.indices)
    func configErrorsAreClear(_ i: Int) throws {
        let (json, message) = Self.badRoutes[i]
        let config = try decodeJSON(RoutingConfig.self, json)
        let error = #expect(throws: AlertingConfigError.self) { try RoutingTree(config: config, receivers: Self.receivers) }
        #expect(error?.message.contains(message) == true, "\(error?.message ?? "no error")")
    }
}
