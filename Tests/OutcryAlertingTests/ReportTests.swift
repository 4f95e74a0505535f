import Foundation
@testable import OutcryAlerting
import OutcryModel
import Testing

@Suite struct ReportTests {
    static let policy = SLAPolicySet([SLAPolicy(
        name: "all", targets: SLATargets(acknowledge: .minutes(30), firstResponse: .hours(2), resolution: .hours(24)), businessHours: false
    )])
    static let now = utc("2026-04-02T00:00:00Z")

    /// ack, first response (minutes after opening), resolution (hours, nil = open), assignee.
    static func thread(_ id: String, _ sev: Severity, _ ch: Channel, _ team: String, _ seg: String, opened: String,
                       ack: Double, respond: Double, resolve: Double?, person: String? = nil) throws -> ReportThread {
        let t0 = utc(opened)
        var life = ThreadLifecycle(openedAt: t0)
        if let person { try life.apply(.assign(.person(person)), by: "lead", at: t0 + 1) }
        try life.apply(.acknowledge, by: "x", at: t0 + minutes(ack))
        try life.apply(.respond, by: "x", at: t0 + minutes(respond))
        if let resolve { try life.apply(.resolve, by: "x", at: t0 + hours(resolve)) }
        return ReportThread(id: id, severity: sev, channel: ch, team: team, segment: seg, events: life.events)
    }

    static func threads() throws -> [ReportThread] {
        [
            try thread("T1", .p1, .social, "A", "vip", opened: "2026-03-23T10:00:00Z", ack: 10, respond: 60, resolve: 5, person: "ana"),
            try thread("T2", .p1, .mail, "A", "standard", opened: "2026-03-24T10:00:00Z", ack: 20, respond: 90, resolve: 10, person: "ana"),
            try thread("T3", .p2, .social, "B", "standard", opened: "2026-03-25T10:00:00Z", ack: 40, respond: 150, resolve: 30, person: "bo"),
            try thread("T4", .p2, .feed, "B", "standard", opened: "2026-03-26T10:00:00Z", ack: 5, respond: 30, resolve: 2),
            try thread("T5", .p3, .social, "B", "standard", opened: "2026-03-30T10:00:00Z", ack: 25, respond: 200, resolve: nil),
            try thread("T6", .p2, .mail, "A", "vip", opened: "2026-03-31T10:00:00Z", ack: 15, respond: 45, resolve: 3),
        ]
    }

    static func report(_ options: ReportOptions = ReportOptions(fairnessMinimumThreads: 2)) throws -> Report {
        ReportBuilder.build(threads: try threads(), policies: policy, options: options, now: now)
    }

    @Test func overallPercentilesByHand() throws {
        // ack sorted [5,10,15,20,25,40]: p50 = rank ⌈3⌉ = 15, p90 = rank ⌈5.4⌉ = 6th = 40.
        // first response sorted [30,45,60,90,150,200]: p50 = 60, p90 = 200.
        // resolution sorted [2,3,5,10,30] h (T5 open): p50 = rank 3 = 5h, p90 = rank ⌈4.5⌉ = 30h.
        let overall = try #require(try Self.report().rows.first)
        #expect(overall.dimension == .overall && overall.threads == 6)
        #expect(overall.acknowledge == Percentiles([5, 10, 15, 20, 25, 40].map { minutes($0) }))
        #expect(overall.acknowledge?.p50 == minutes(15) && overall.acknowledge?.p90 == minutes(40))
        #expect(overall.firstResponse?.p50 == minutes(60) && overall.firstResponse?.p90 == minutes(200))
        #expect(overall.resolution?.count == 5)
        #expect(overall.resolution?.p50 == hours(5) && overall.resolution?.p90 == hours(30))
        // SLA: T3 breaks all three clocks, T5 first response (200 > 120 min) and resolution (open past 24h).
        #expect(overall.slaMet == 13 && overall.slaBreached == 5)
        #expect(overall.slaAttainment == 13.0 / 18.0)
    }

    static let groupCases: [(ReportDimension, String, Int, TimeInterval?, TimeInterval?)] = [
        // (dimension, key, threads, first-response p50, first-response p90) in minutes
        (.severity, "P1", 2, 60, 90),
        (.severity, "P2", 3, 45, 150),
        (.channel, "social", 3, 150, 200),
        (.team, "A", 3, 60, 90),
        (.week, "2026-W13", 4, 60, 150),
        (.week, "2026-W14", 2, 45, 200),
        (.segment, "vip", 2, 45, 60),
    ]

    @Test(arguments: groupCases.indices)
    func groupedFigures(_ i: Int) throws {
        let (dim, key, n, p50, p90) = Self.groupCases[i]
        let row = try #require(try Self.report().rows.first { $0.dimension == dim && $0.key == key })
        #expect(row.threads == n)
        #expect(row.firstResponse?.p50 == p50.map { minutes($0) })
        #expect(row.firstResponse?.p90 == p90.map { minutes($0) })
    }

    @Test func breachesListed() throws {
        let b = try Self.report().breaches
        #expect(b.map { "\($0.threadID):\($0.clock.rawValue)" } == [
            "T3:acknowledge", "T3:first_response", "T3:resolution", "T5:first_response", "T5:resolution",
        ])
        #expect(b[0].deadline == utc("2026-03-25T10:30:00Z"))
        #expect(b[4].stoppedAt == nil)
    }

    @Test func fairnessView() throws {
        let f = try Self.report().fairness
        func row(_ d: ReportDimension, _ g: String) throws -> FairnessRow { try #require(f.first { $0.dimension == d && $0.group == g }) }
        // standard [30,90,150,200] median 90 vs vip [45,60] median 45: 2.0× > 1.5.
        let standard = try row(.segment, "standard")
        #expect(standard.medianWait == minutes(90) && standard.othersMedianWait == minutes(45) && standard.ratio == 2 && standard.flagged)
        #expect(standard.explanation == "segment standard waits 1h30m (median of 4) vs 45m for everyone else (median of 2): 2.00×, above the 1.50× limit")
        let vip = try row(.segment, "vip")
        #expect(vip.ratio == 0.5 && !vip.flagged)
        let social = try row(.channel, "social")
        #expect(social.medianWait == minutes(150) && social.othersMedianWait == minutes(45) && social.flagged)
        let feed = try row(.channel, "feed")   // one thread: shown, not judged
        #expect(feed.threads == 1 && !feed.flagged)
        // With the default minimum of 5 threads nothing here is big enough to flag.
        #expect(try Self.report(ReportOptions()).fairness.allSatisfy { !$0.flagged })
    }

    @Test func perPersonOnlyWhenAskedFor() throws {
        #expect(try Self.report().rows.allSatisfy { $0.dimension != .person })
        let rows = try Self.report(ReportOptions(perPerson: true)).rows.filter { $0.dimension == .person }
        #expect(rows.map(\.key) == ["(unassigned)", "ana", "bo"])
        #expect(rows.map(\.threads) == [3, 2, 1])
    }

    @Test func csvAndJSON() throws {
        let report = try Self.report()
        let csv = report.csv()
        let lines = csv.components(separatedBy: "\r\n")
        #expect(lines[0].hasPrefix("dimension,key,threads,acknowledge_n,acknowledge_p50_s,acknowledge_p90_s"))
        #expect(lines[1] == "overall,all,6,6,900,2400,6,3600,12000,5,18000,108000,13,5,0.7222")
        #expect(csv.hasSuffix("\r\n"))
        #expect(report.fairnessCSV().contains("\"segment standard waits 1h30m (median of 4) vs 45m for everyone else (median of 2): 2.00×, above the 1.50× limit\""))
        let json = try #require(try JSONSerialization.jsonObject(with: report.json()) as? [String: Any])
        #expect((json["rows"] as? [Any])?.count == report.rows.count)
        #expect(json["generated_at"] as? String == "2026-04-02T00:00:00Z")
        let firstBreach = try #require((json["breaches"] as? [[String: Any]])?.first)
        #expect(firstBreach["thread_id"] as? String == "T3")
        #expect(firstBreach["deadline"] as? String == "2026-03-25T10:30:00Z")
    }

    static let percentileCases: [([Double], Double, Double)] = [
        ([7], 7, 7),
        ([1, 2], 1, 2),
        ([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 5, 9),
        ([10, 1, 5], 5, 10),
    ]

    @Test(arguments: percentileCases.indices)
    func nearestRank(_ i: Int) {
        let (values, p50, p90) = Self.percentileCases[i]
        #expect(Percentiles(values)?.p50 == p50 && Percentiles(values)?.p90 == p90)
    }
}
