import Foundation
@testable import OutcryAlerting
import OutcryModel
import Testing

@Suite struct ReportRenderingTests {
    @Test(arguments: [(0.0, "0s"), (45, "45s"), (90, "1m 30s"), (720, "12m"), (3600, "1h"), (12_000, "3h 20m"), (187_200, "2d 4h")])
    func humanDurations(seconds: Double, text: String) {
        #expect(Report.human(seconds) == text)
    }

    @Test func aTerminalGetsReadableTablesWithHumanDurations() throws {
        var report = try ReportTests.report()
        report.backlogThreadsLeftOut = 3
        report.volume = [DailyVolume(brand: "Kestrel", day: "2026-03-23", mentions: 12, negative: 5, complaints: 4, meanSentiment: -0.25)]
        let text = report.text(width: 120)
        #expect(text.contains("Response times (p50 / p90) and SLA"))
        // Acknowledge over all six threads: p50 15 minutes, p90 40 minutes.
        let overall = try #require(text.split(separator: "\n").first { $0.hasPrefix("overall") })
        #expect(overall.contains("15m / 40m"), "\(overall)")
        #expect(text.contains("3 threads opened by a source's first poll (old posts) left out."))
        #expect(text.contains("Mentions per brand and day") && text.contains("2026-03-23  Kestrel") && text.contains("-0.25"), "\(text)")
        #expect(!text.contains("dimension,key"), "no CSV in the terminal view")
    }

    @Test func tablesFitANarrowTerminal() throws {
        let text = try ReportTests.report().text(width: 80)
        for line in text.split(separator: "\n") { #expect(line.count <= 80, "\(line.count): \(line)") }
    }

    @Test func eachTableHasItsOwnCSVIncludingTheBreaches() throws {
        var report = try ReportTests.report()
        report.volume = [DailyVolume(brand: "Kestrel, Inc.", day: "2026-03-23", mentions: 2, negative: 1, complaints: 1, meanSentiment: 0.5)]
        #expect(report.csv(.responseTimes).hasPrefix("dimension,key,threads"))
        #expect(report.csv(.fairness).hasPrefix("dimension,group,threads"))
        let breaches = report.csv(.breaches)
        #expect(breaches.hasPrefix("thread,policy,clock,episode,deadline,stopped_at\r\n"))
        #expect(breaches.split(separator: "\r\n").count == report.breaches.count + 1)
        #expect(!report.breaches.isEmpty, "the fixture has late threads")
        #expect(report.csv(.volume) == "day,brand,mentions,negative,complaints,mean_sentiment\r\n2026-03-23,\"Kestrel, Inc.\",2,1,1,0.5000\r\n")
    }
}
