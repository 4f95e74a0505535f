// Feed parse cost without the CLI's async runtime, for instruction counting:
//   valgrind --tool=callgrind outcry-bench-parse [read|general|parse] RUNS FILE
// reads FILE RUNS times (each result dropped before the next run, as in `outcry parse bench`)
// and prints the time per run. `read` is the poller's path (`FeedReader.read`: bytes to
// mentions, fast path when it accepts); `general` the same result by the general path alone
// (`FeedParser.parse` then `mentions`, what the poller did before the fast path); `parse`
// (the default) the full feedparser-shaped parse. Comparing RUNS=1 and RUNS=2 under
// callgrind gives the instructions of one run, result teardown included.
import Foundation
import OutcryParse

var args = Array(CommandLine.arguments.dropFirst())
var mode = "parse"
if let first = args.first, first == "read" || first == "general" || first == "parse" {
    mode = first
    args.removeFirst()
}
guard args.count == 2, let runs = Int(args[0]), runs > 0, let data = FileManager.default.contents(atPath: args[1]) else {
    FileHandle.standardError.write(Data("usage: outcry-bench-parse [read|general|parse] RUNS FILE\n".utf8))
    exit(2)
}
let bytes = [UInt8](data)
let url = "https://social.example/feed"
let fetchedAt = Date(timeIntervalSince1970: 1_700_000_000)
var items = 0
var fast = false
let clock = ContinuousClock()
let start = clock.now
for _ in 0..<runs {
    if mode == "read" {
        let read = FeedReader.read(bytes, contentType: nil, url: url, sourceName: "bench", fetchedAt: fetchedAt)
        fast = read.fast
        items += read.mentions.count
    } else if mode == "general" {
        items += FeedParser.parse(bytes, url: url).mentions(sourceName: "bench", fetchedAt: fetchedAt).count
    } else {
        items += FeedParser.parse(bytes, url: url).entries.count
    }
}
let elapsed = clock.now - start
let secs = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
let path = mode == "read" ? (fast ? "read, fast path" : "read, general path")
    : mode == "general" ? "general path to mentions" : "full parse"
print(String(format: "%@: %d runs, %d items, %.1f MB/s", path, runs, items, Double(bytes.count * runs) / 1e6 / secs))
