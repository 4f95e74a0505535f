import Foundation
import OutcryModel
import OutcryPipeline
import OutcryStore
import OutcryTestSupport
import Testing
@testable import OutcryApp

/// The repository's root, to reach the shipped config/ and feeds/.
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// A temporary folder, removed afterwards.
func withTemporaryDirectory<T>(_ body: (String) async throws -> T) async throws -> T {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("outcry-e2e-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    return try await body(dir)
}

/// The shipped sample config, with its data directory moved to `dataDir`.
func sampleConfig(dataDir: String) throws -> OutcryConfig {
    var config = try ConfigLoader.load(path: repositoryRoot.appendingPathComponent("config/outcry.yaml").path, environment: [:])
    config.dataDirectory = dataDir
    return config
}

/// How many items the sample files hold, counted from the files themselves.
func sampleItemCount() throws -> Int {
    let feeds = repositoryRoot.appendingPathComponent("feeds")
    var total = 0
    for name in try FileManager.default.contentsOfDirectory(atPath: feeds.path) {
        let text = try String(contentsOf: feeds.appendingPathComponent(name), encoding: .utf8)
        if name.hasSuffix(".rss") { total += text.components(separatedBy: "<item>").count - 1 }
        if name.hasSuffix(".atom") { total += text.components(separatedBy: "<entry>").count - 1 }
        if name.hasSuffix(".json") { total += text.components(separatedBy: "\"id\": \"social-").count - 1 }
    }
    return total
}

/// Opens the store in `dir` for `body` and always closes it (an unclosed connection traps in debug builds).
func withStore<T>(_ dir: String, _ body: (Store) async throws -> T) async throws -> T {
    let store = try await Store.open(directory: dir)
    do {
        let result = try await body(store)
        try await store.close()
        return result
    } catch {
        try? await store.close()
        throw error
    }
}

@Suite(.serialized) struct EndToEndTests {
    @Test func pollingTheSamplesStoresEveryItemOnceAndPutsTheUrgentOnTop() async throws {
        try await withTemporaryDirectory { dir in
            let app = Application(config: try sampleConfig(dataDir: dir))
            let first = try await app.pollOnce()
            #expect(first.count == 3)
            #expect(first.allSatisfy { !$0.isFailure }, "\(first.map(\.summary))")
            let expected = try sampleItemCount()
            #expect(expected >= 19)
            try await withStore(dir) { store in
            #expect(try await store.mentionCount() == expected)

            // The queue: complaints only, the legal threat, the safety issue and the data leak above the rest.
            let queue = try await store.openThreads()
            #expect(queue.count >= 6)
            let top = queue.prefix(3).map(\.title)
            #expect(queue.first?.severity == .p1)
            #expect(top.contains { $0.contains("Warranty claim refused") })
            #expect(top.contains { $0.contains("Kettle base sparked") })
            #expect(!queue.contains { $0.title.contains("Tip: descaling") || $0.title.contains("Five stars") })
            let charged = try #require(queue.first { $0.title.contains("Charged twice") })
            #expect(charged.severity <= .p2 && charged.severity >= .p3)
            }

            // A second pass (forced: the sources are not due yet) stores nothing new.
            let second = try await app.pollOnce(force: true)
            for result in second {
                guard case .stored(let r, _) = result.outcome else { Issue.record("unexpected \(result.summary)"); continue }
                #expect(r.inserted == 0 && r.unchanged > 0)
            }
            let count = try await withStore(dir) { try await $0.mentionCount() }
            #expect(count == expected)

            // Not forced: nothing is due, nothing is fetched.
            #expect(try await app.pollOnce().isEmpty)
        }
    }

    @Test func aSecondPassOverHTTPSendsTheValidatorsAndStoresNothingNew() async throws {
        let server = try await TestHTTPServer.start()
        do {
            server.serveDirectory(repositoryRoot.appendingPathComponent("feeds").path, at: "/feeds/")
            try await withTemporaryDirectory { dir in
                var config = try sampleConfig(dataDir: dir)
                for i in config.sources.indices {
                    config.sources[i].url = server.url("/feeds/" + URL(string: config.sources[i].url)!.lastPathComponent)
                }
                let app = Application(config: config)
                let first = try await app.pollOnce()
                #expect(first.allSatisfy { !$0.isFailure }, "\(first.map(\.summary))")
                let second = try await app.pollOnce(force: true)
                #expect(second.count == 3)
                for result in second {
                    guard case .notModified = result.outcome else { Issue.record("expected 304: \(result.summary)"); continue }
                }
                for source in config.sources {
                    let path = URL(string: source.url)!.path
                    let requests = server.requests(path: path)
                    #expect(requests.count == 2)
                    #expect(requests.first?.header("If-None-Match") == nil)
                    #expect(requests.last?.header("If-None-Match")?.hasPrefix("\"") == true)
                    #expect(requests.last?.header("If-Modified-Since") != nil)
                    #expect(requests.last?.header("User-Agent")?.hasPrefix("Outcry/") == true)
                }
            }
        } catch {
            try await server.stop()
            throw error
        }
        try await server.stop()
    }

    @Test func aCorruptFeedFailsAloneWithAClearErrorWhileTheOthersLand() async throws {
        try await withTemporaryDirectory { dir in
            let feeds = (dir as NSString).appendingPathComponent("feeds")
            try FileManager.default.copyItem(atPath: repositoryRoot.appendingPathComponent("feeds").path, toPath: feeds)
            let broken = (feeds as NSString).appendingPathComponent("product-reviews.atom")
            try Data("\u{0}\u{1}garbage that is not a feed at all {{{{".utf8).write(to: URL(fileURLWithPath: broken))
            var config = try sampleConfig(dataDir: (dir as NSString).appendingPathComponent("data"))
            for i in config.sources.indices {
                config.sources[i].url = URL(fileURLWithPath: feeds).appendingPathComponent(URL(string: config.sources[i].url)!.lastPathComponent).absoluteString
            }
            let results = try await Application(config: config).pollOnce()
            let failed = results.filter(\.isFailure)
            #expect(failed.map(\.source) == ["product-reviews"])
            #expect(failed.first?.summary.contains("product-reviews.atom") == true)
            try await withStore(config.dataDirectory) { store in
            #expect(try await store.mentionCount(source: "community-forum") == 7)
            #expect(try await store.mentionCount(source: "social-mentions") == 7)
            #expect(try await store.mentionCount(source: "product-reviews") == 0)
            let state = try await store.pollState("product-reviews")
            #expect(state.consecutiveErrors == 1 && state.lastError?.isEmpty == false)
            }
        }
    }

    @Test func anOverlappingRunExitsAtOnceWithTheLockError() async throws {
        try await withTemporaryDirectory { dir in
            let lock = try DataDirectoryLock.acquire(directory: dir)
            defer { lock.release() }
            let app = Application(config: try sampleConfig(dataDir: dir))
            await #expect(throws: LockError.self) { _ = try await app.pollOnce() }
        }
    }
}
