// Feed parse cost without the CLI's async runtime, for instruction counting:
//   valgrind --tool=callgrind outcry-bench-parse [read|general|parse] RUNS FILE
// reads FILE RUNS times (each result dropped before the next run, as in `outcry parse bench`)
// and prints the time per run. `read` is the poller's path (`FeedReader.read`: bytes to
// mentions, fast path when it accepts); `general` the same result by the general path alone
// (`FeedParser.parse` then `mentions`, what the poller did before the fast path); `parse`
// (the default) the full feedparser-shaped parse. Comparing RUNS=1 and RUNS=2 under
// callgrind gives the instructions of one run, result teardown included.
//   outcry-bench-parse shapes DIR [BYTES]
// writes DIR/SHAPE.xml for every generator shape in `FeedShapes` (WordPress, Blogger, …), each
// about BYTES bytes (default 5,000,000), for scripts/bench_parse_shapes.sh.
//   outcry-bench-parse dump FILE
// prints the poller path's mentions of FILE as JSON lines (then the path taken, ttl and bozo),
// to compare two builds' outputs with `cmp`.
import Foundation
import OutcryParse

var args = Array(CommandLine.arguments.dropFirst())
if args.first == "shapes" {
    guard args.count == 2 || args.count == 3, let size = args.count == 3 ? Int(args[2]) : 5_000_000, size > 0 else {
        FileHandle.standardError.write(Data("usage: outcry-bench-parse shapes DIR [BYTES]\n".utf8))
        exit(2)
    }
    do {
        try FileManager.default.createDirectory(atPath: args[1], withIntermediateDirectories: true)
        for shape in FeedShapes.Shape.allCases {
            let path = args[1] + "/" + shape.rawValue + ".xml"
            try Data(FeedShapes.make(shape, bytes: size)).write(to: URL(fileURLWithPath: path))
        }
    } catch {
        FileHandle.standardError.write(Data("outcry-bench-parse: cannot write to \(args[1]): \(error)\n".utf8))
        exit(1)
    }
    exit(0)
}
if args.first == "dump" {
    guard args.count == 2, let data = FileManager.default.contents(atPath: args[1]) else {
        FileHandle.standardError.write(Data("usage: outcry-bench-parse dump FILE\n".utf8))
        exit(2)
    }
    let read = FeedReader.read([UInt8](data), contentType: nil, url: "https://social.example/feed",
                               sourceName: "bench", fetchedAt: Date(timeIntervalSince1970: 1_700_000_000))
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    var out = Data()
    for mention in read.mentions {
        out.append((try? encoder.encode(mention)) ?? Data("unencodable".utf8))
        out.append(0x0A)
    }
    out.append(Data("\(read.fast ? "fast" : "general") ttl \(read.ttlMinutes ?? -1) bozo \(read.bozo)\n".utf8))
    FileHandle.standardOutput.write(out)
    exit(0)
}
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
func cpuSeconds() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
}
let clock = ContinuousClock()
let cpuStart = cpuSeconds()
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
let cpu = cpuSeconds() - cpuStart
let secs = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
let path = mode == "read" ? (fast ? "read, fast path" : "read, general path")
    : mode == "general" ? "general path to mentions" : "full parse"
// The CPU-time figure holds up on a loaded machine, where the wall clock also counts waiting.
print(String(format: "%@: %d runs, %d items, %.1f MB/s, %.1f MB/s of CPU time", path, runs, items,
             Double(bytes.count * runs) / 1e6 / secs, Double(bytes.count * runs) / 1e6 / cpu))
