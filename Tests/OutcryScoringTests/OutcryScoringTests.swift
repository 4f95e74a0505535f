import Foundation
import OutcryModel
import Testing
@testable import OutcryScoring

let scorer = Scorer()

@Suite struct SentimentTests {
    @Test(arguments: [
        ("The book was good.", SentimentLabel.positive),
        ("The book was not good.", .negative),
        ("At least it isn't a horrible book.", .positive),
        ("Not bad at all", .positive),
        ("Today SUX!", .negative),
        ("Make sure you :) today", .positive),
        ("I hate this 😡", .negative),
        ("what time does the store open on sunday", .neutral),
        ("The plot was good, but the characters are uncompelling and the dialog is not great.", .negative),
        ("never again", .negative),
    ])
    func labels(text: String, expected: SentimentLabel) {
        #expect(scorer.sentiment(text: text).label == expected, "\(text)")
    }

    @Test(arguments: [
        ("The book was very good.", "The book was good."),
        ("The book was GOOD.", "The book was good."),
        ("The book was good!!!", "The book was good."),
        ("The book was sooooo good", "The book was so good"),
    ])
    func emphasisStrengthens(stronger: String, weaker: String) {
        #expect(scorer.sentiment(text: stronger).compound > scorer.sentiment(text: weaker).compound)
    }

    @Test func dampenerWeakens() {
        #expect(scorer.sentiment(text: "The book was kind of good.").compound < scorer.sentiment(text: "The book was good.").compound)
    }

    @Test(arguments: [
        "El vuelo está retrasado y no hay información, muy mal servicio",
        "Le vol est annulé et personne ne répond, c'est nul",
        "Der Flug ist schon wieder verspätet und niemand hilft mir",
        "Спасибо, всё отлично",
    ])
    func foreignTextIsNotScored(text: String) {
        let s = scorer.score(text: text)
        #expect(s.sentiment.scored == false)
        #expect(s.sentiment.compound == 0)
        #expect(s.reasons.contains { $0.rule == "language" })
    }

    @Test func foreignTextKeepsKeywordRules() {
        #expect(scorer.score(text: "Je vais contacter mon lawyer et le BBB").urgency.contains(.regulator))
    }

    @Test func extraLexiconFromConfig() {
        var config = ScoringConfig()
        config.extraLexicon["bumped"] = -3
        #expect(Scorer(config: config).sentiment(text: "I got bumped").label == .negative)
    }
}

@Suite struct ComplaintTests {
    /// A small hand-written sanity set of customer-service posts.
    @Test(arguments: [
        ("still waiting for my refund, 3 weeks now", true),
        ("flight delayed again", true),
        ("flight delayed 3 hours, no update", true),
        ("@acme charged twice for the same order and no reply to my emails", true),
        ("my package never arrived", true),
        ("on hold for an hour, nobody answers", true),
        ("@acme the app keeps crashing when I try to pay", true),
        ("worst customer service ever @acme", true),
        ("Thanks for the quick refund, great service!", false),
        ("what time does the store open on sunday?", false),
        ("love the new update @acme", false),
        ("@acme is there wifi on this flight?", false),
        ("Shoutout to the crew on flight 22, amazing", false),
    ])
    func complaintIntent(text: String, expected: Bool) {
        let s = scorer.score(text: text)
        #expect(s.complaint.isComplaint == expected, "\(text): \(s.complaint.score) \(s.reasons)")
    }

    @Test func politeComplaintIsLabelledNegativeWithReason() {
        let s = scorer.score(text: "still waiting for my refund, 3 weeks now")
        #expect(s.sentiment.label == .negative)
        #expect(s.reasons.contains { $0.rule == "complaint.tone" })
    }
}

@Suite struct UrgencyTests {
    @Test(arguments: [
        ("my lawyer will hear about this", UrgencyCategory.legal),
        ("see you in small claims court", .legal),
        ("my phone caught fire while charging", .safety),
        ("had an allergic reaction to your cereal", .safety),
        ("my account hacked and you did nothing", .privacy),
        ("is this a data breach?", .privacy),
        ("reporting you to the ombudsman", .regulator),
        ("filed with the BBB today", .regulator),
        ("I am a journalist and will write about this", .press),
        ("switching to a competitor next month", .churn),
        ("please cancel my subscription", .churn),
        ("your staff were racist to me", .discrimination),
        ("my elderly mother was left at the gate", .vulnerable),
        ("I'm disabled and there was no wheelchair", .vulnerable),
        // Reports in other words than the category's name: injuries and contamination,
        // someone else's data, leaving for another provider, reach as a count, access refused.
        ("the engineer left exposed live wires in the hallway", .safety),
        ("there was a dead insect baked into the loaf", .safety),
        ("the app showed me another person's transactions", .privacy),
        ("someone used my account to order three phones", .privacy),
        ("I'm porting my number to another network", .churn),
        ("moving my savings to another bank this week", .churn),
        ("I've filed a claim in the county court", .legal),
        ("environmental health will hear about your kitchen", .regulator),
        ("my thread about this has 30k retweets", .press),
        ("the guard told her to leave her assistance dog on the platform", .discrimination),
        ("my grandmother is 91 and has been without heating since Friday", .vulnerable),
    ])
    func categories(text: String, expected: UrgencyCategory) {
        let s = scorer.score(text: text)
        #expect(s.urgency.contains(expected), "\(text): \(s.urgency)")
        #expect(s.reasons.contains { $0.rule == "urgency.\(expected.rawValue)" })
    }

    @Test(arguments: [
        "my account was disabled", "ate at the food court", "read the privacy policy",
        "my sister works as a journalist and swears by them", "reading the news on the flight home",
        "left my old network for them last year, no regrets", "the fire drill was over in five minutes",
    ])
    func exclusions(text: String) {
        #expect(scorer.score(text: text).urgency.isEmpty, "\(text)")
    }

    @Test func configurableTerms() {
        var config = ScoringConfig()
        config.urgencyTerms[.regulator, default: []].append("citizens advice")
        #expect(Scorer(config: config).score(text: "going to citizens advice").urgency == [.regulator])
    }
}

@Suite struct EscalationTests {
    @Test(arguments: [
        ("My lawyer will hear about this. Worst airline ever!", ScoreContext(), Reach(), Severity.p1),
        // Urgency sets severity whatever the tone (issue 15): a legal cue is P1 even when the
        // wording is friendly (this case was P2 before), and a lawyer as a friend is no cue.
        ("my lawyer says hi", ScoreContext(), Reach(), .p1),
        ("My best friend is a lawyer and she loves your coffee", ScoreContext(), Reach(), .none),
        ("still waiting for my refund, 3 weeks now, unacceptable", ScoreContext(), Reach(followers: 50_000), .p2),
        ("still waiting for my refund, 3 weeks now, unacceptable", ScoreContext(daysSincePreviousComplaint: 3), Reach(), .p2),
        ("still waiting for my refund", ScoreContext(), Reach(), .p3),
        ("meh, not great", ScoreContext(), Reach(), .p4),
        ("what time do you open?", ScoreContext(), Reach(), .none),
        ("love it", ScoreContext(customerTier: "gold"), Reach(), .none),
    ])
    func severity(text: String, context: ScoreContext, reach: Reach, expected: Severity) {
        let s = scorer.score(text: text, reach: reach, context: context)
        #expect(s.severity == expected, "\(text): \(s.summary)")
    }

    @Test func valueRaisesNeverLowers() {
        let plain = scorer.score(text: "still waiting for my refund")
        let gold = scorer.score(text: "still waiting for my refund", context: ScoreContext(customerTier: "gold"))
        let p1 = scorer.score(text: "my lawyer: worst service ever", context: ScoreContext(customerTier: "bronze"))
        #expect(gold.severity > plain.severity)
        #expect(gold.reasons.contains { $0.rule == "severity.value" })
        #expect(p1.severity == .p1)
    }

    @Test func summaryLine() {
        let s = scorer.score(text: "My lawyer will hear about this. Worst airline ever, never again!",
                             context: ScoreContext(mentionsInLastHour: 12))
        #expect(s.summary.hasPrefix("P1: legal threat ('my lawyer')"))
        #expect(s.summary.contains("negative (-0.8"))
        #expect(s.summary.contains("12 mentions in this thread in 1 h"))
    }
}

@Suite struct QueryTests {
    static let doc = QueryDocument(
        text: "@AcmeAir still hasn't refunded me, on hold for an hour. Charged twice!", author: "Jane Doe @jane",
        source: "twitter", lang: "en-GB")

    @Test(arguments: [
        ("refund*", true), ("refund", false), ("acmeair AND refund*", true), ("@acmeair", true),
        ("\"on hold\"", true), ("\"hold on\"", false), ("charged NEAR/1 twice", true), ("still NEAR/2 refunded", true),
        ("still NEAR/1 refunded", false), ("NOT refund*", false), ("refund* NOT source:twitter", false),
        ("(cancel OR charged) AND author:jane", true), ("lang:en", true), ("lang:fr OR text:hour", true),
        ("source:facebook OR (hold AND NOT twice)", false), ("acmeair refund* hold", true),
    ])
    func evaluate(query: String, expected: Bool) throws {
        #expect(try Query(query).matches(Self.doc) == expected, "\(query)")
    }

    @Test(arguments: [
        ("(refund", 7, "')'"), ("refund AND", 10, "a word, phrase or '('"), ("\"on hold", 0, "a closing '\"'"),
        ("foo:bar", 0, "a field among author, source, lang, text"), ("a NEAR/x b", 7, "a distance after NEAR/ (e.g. NEAR/3)"),
        ("(a OR b) NEAR/2 c", 0, "a word or phrase before NEAR/2"), ("re*fund", 2, "'*' only at the end of a word"),
        ("", 0, "a word, phrase or '('"), ("a )", 2, "AND, OR, NOT, NEAR/n or end of query"),
    ])
    func errors(query: String, position: Int, expected: String) {
        #expect(throws: QueryError.self) { try Query(query) }
        do { _ = try Query(query) } catch {
            #expect(error.position == position, "\(query): \(error)")
            #expect(error.expected == expected, "\(query): \(error)")
        }
    }
}

@Suite struct CrisisTests {
    let start = Date(timeIntervalSince1970: 1_700_000_000)

    @Test(arguments: CrisisSensitivity.allCases)
    func spikeFiresOnce(sensitivity: CrisisSensitivity) {
        var d = CrisisDetector(sensitivity: sensitivity)
        let series = [3, 2, 4, 3, 3, 2, 5, 3, 4, 3, 2, 3, 4, 3, 40, 55, 38, 4, 3, 2]
        var events: [CrisisEvent] = []
        for (h, c) in series.enumerated() {
            let samples = (0..<min(c, 6)).map { CrisisSample(id: "m\(h)-\($0)", text: "app outage again, login down") }
            if let e = d.observe(brand: "acme", hour: start + Double(h) * 3600, count: c, samples: samples) { events.append(e) }
        }
        #expect(events.count == 1)
        #expect(events.first?.count == 40)
        #expect(events.first?.topTerms.contains("outage") == true)
        #expect(events.first?.exampleIDs.first == "m14-0")
    }

    @Test(arguments: CrisisSensitivity.allCases)
    func slowRiseDoesNotFire(sensitivity: CrisisSensitivity) {
        var d = CrisisDetector(sensitivity: sensitivity)
        for h in 0..<200 {
            let c = Int((5 * pow(1.02, Double(h))).rounded())  // +2% an hour: 5 → ~260
            #expect(d.observe(brand: "acme", hour: start + Double(h) * 3600, count: c) == nil, "hour \(h) count \(c)")
        }
    }

    @Test func poissonTail() {
        #expect(abs(CrisisDetector.poissonUpperTail(1, 1) - (1 - exp(-1))) < 1e-12)
        #expect(CrisisDetector.poissonUpperTail(40, 3) < 1e-20)
    }
}

@Suite struct ScoreLineTests {
    @Test func contract() throws {
        let out = ScoreLine.process(#"{"id":"a1","text":"my lawyer: worst service ever"}"#, lineNumber: 1, scorer: scorer)
        let obj = try #require(try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any])
        #expect(obj["id"] as? String == "a1")
        #expect(obj["severity"] as? String == "P1")
        let sentiment = try #require(obj["sentiment"] as? [String: Any])
        #expect(sentiment["label"] as? String == "negative")
        #expect((obj["urgency"] as? [String]) == ["legal"])
        let reasons = try #require(obj["reasons"] as? [[String: Any]])
        #expect(reasons.allSatisfy { $0["rule"] is String && $0["evidence"] is String && $0["weight"] is NSNumber })
        #expect(out.hasPrefix(#"{"id":"a1","sentiment":{"compound":"#))
    }

    @Test(arguments: [("{not json", "line 7: invalid JSON"), ("[1,2]", "line 7: expected a JSON object"),
                      (#"{"id":5}"#, "line 7: missing string field \"text\"")])
    func badLines(line: String, message: String) throws {
        let out = ScoreLine.process(line, lineNumber: 7, scorer: scorer)
        let obj = try #require(try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any])
        #expect(obj["line"] as? Int == 7)
        #expect(obj["error"] as? String == message)
    }
}
