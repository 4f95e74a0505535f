import Foundation
import Testing

@Suite(.serialized, .enabled(if: outcryBinary != nil)) struct ReportCLITests {
    /// The first poll's backlog (old posts) stays out of response times; each table can be had
    /// alone or as its own file; volume per brand and day is there.
    @Test func theBacklogIsLeftOutAndEachTableHasItsFile() async throws {
        try await withSampleInstall { dir in
            let poll = try await outcry(["poll", "--once"], in: dir)
            #expect(poll.status == 0, "\(poll.stdout)\(poll.stderr)")
            let json = try await outcry(["report", "--format", "json"], in: dir)
            let report = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
            #expect((report["backlog_threads_left_out"] as? Int ?? 0) > 0, "\(json.stdout.prefix(400))")
            let overall = (report["rows"] as? [[String: Any]])?.first { $0["dimension"] as? String == "overall" }
            #expect(overall == nil || overall?["threads"] as? Int == 0, "backlog threads counted: \(String(describing: overall))")
            #expect(((report["volume"] as? [[String: Any]]) ?? []).contains { $0["brand"] as? String == "Kestrel Home" })

            let volume = try await outcry(["report", "--table", "volume"], in: dir)
            #expect(volume.status == 0 && volume.stdout.hasPrefix("day,brand,mentions,negative,complaints,mean_sentiment"), "\(volume.stdout)\(volume.stderr)")
            let out = (dir as NSString).appendingPathComponent("report")
            let files = try await outcry(["report", "--format", "csv", "--output", out], in: dir)
            #expect(files.status == 0, "\(files.stderr)")
            for name in ["response_times", "breaches", "fairness", "volume"] {
                #expect(FileManager.default.fileExists(atPath: (out as NSString).appendingPathComponent("\(name).csv")), "\(name)")
            }
            let table = try await outcry(["report", "--format", "table"], in: dir)
            #expect(table.stdout.contains("Response times (p50 / p90) and SLA") && table.stdout.contains("left out"), "\(table.stdout)")
            let bad = try await outcry(["report", "--table", "nope"], in: dir)
            #expect(bad.status != 0 && bad.stderr.contains("response_times, breaches, fairness, volume"))
        }
    }
}
