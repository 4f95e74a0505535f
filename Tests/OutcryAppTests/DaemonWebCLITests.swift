import Foundation
import OutcryFetch
import Testing

@Suite(.serialized) struct DaemonWebCLITests {
    @Test func theDaemonServesTheAPIWithAWebSection() async throws {
        try await withSampleInstall { dir in
            let port = try moveSampleDashboard(in: dir)
            let configPath = (dir as NSString).appendingPathComponent("config/outcry.yaml")
            let config = try String(contentsOfFile: configPath, encoding: .utf8)
            try config.replacingOccurrences(of: "listen: 127.0.0.1:\(port)", with: "listen: 127.0.0.1:\(port)\n  api_token: ${OUTCRY_API_TOKEN}")
                .write(toFile: configPath, atomically: true, encoding: .utf8)
            let token = "daemon-test-token-0123456789"
            let daemon = try start(["run"], in: dir, environment: ["OUTCRY_API_TOKEN": token])
            let client = FetchClient()
            var threads: FetchResponse?
            for _ in 0..<200 {
                try await Task.sleep(for: .milliseconds(50))
                if let r = try? await client.get("http://127.0.0.1:\(port)/api/threads", headers: ["Authorization": "Bearer \(token)"]),
                   r.status == 200, r.text.contains("\"severity\":\"P1\"") {
                    threads = r
                    break
                }
            }
            await client.shutdown()
            daemon.terminate()
            let result = await daemon.finish()
            let response = try #require(threads, "the API never answered with the polled threads: \(result.stderr)")
            #expect(response.text.contains("\"brand\":\"Kestrel Home\""))
            #expect(result.status == 0, "\(result.stderr)")
        }
    }

    @Test func aPersonDeclaresAndEndsACrisisFromTheCommandLine() async throws {
        try await withSampleInstall { dir in
            #expect(try await outcry(["poll", "--once"], in: dir).status == 0)
            let unknown = try await outcry(["crisis", "declare", "Nobody Inc"], in: dir)
            #expect(unknown.status == 1 && unknown.stderr.contains("no brand 'Nobody Inc'"))
            let declared = try await outcry(["crisis", "declare", "Kestrel Home", "--by", "lead", "--note", "kettle recall"], in: dir)
            #expect(declared.status == 0, "\(declared.stderr)")
            let list = try await outcry(["crisis"], in: dir)
            #expect(list.stdout.contains("Kestrel Home — OPEN — declared") && list.stdout.contains("kettle recall"))
            let ended = try await outcry(["crisis", "end", "Kestrel Home", "--by", "lead"], in: dir)
            #expect(ended.status == 0 && ended.stdout.contains("ended by cli:lead"))
            #expect(try await outcry(["crisis", "end", "Kestrel Home"], in: dir).status == 1)
            let json = try await outcry(["crisis", "list", "--json"], in: dir)
            let rows = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: String]])
            #expect(rows.first?["status"] == "ended" && rows.first?["ended_by"] == "cli:lead")
        }
    }
}
