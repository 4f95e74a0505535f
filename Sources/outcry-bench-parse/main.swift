// Feed parse cost without the CLI's async runtime, for instruction counting:
//   valgrind --tool=callgrind outcry-bench-parse RUNS FILE
// parses FILE RUNS times (each result dropped before the next parse, as in
// `outcry parse bench`) and prints the time per parse. Comparing RUNS=1 and RUNS=2 under
// callgrind gives the instructions of one parse, result teardown included.
import Foundation
import OutcryParse

let args = CommandLine.arguments
guard args.count == 3, let runs = Int(args[1]), runs > 0, let data = FileManager.default.contents(atPath: args[2]) else {
    FileHandle.standardError.write(Data("usage: outcry-bench-parse RUNS FILE\n".utf8))
    exit(2)
}
let bytes = [UInt8](data)
var items = 0
let clock = ContinuousClock()
let start = clock.now
for _ in 0..<runs {
    let parsed = FeedParser.parse(bytes)
    items += parsed.entries.count
}
let elapsed = clock.now - start
let secs = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
print(String(format: "%d runs, %d items, %.1f MB/s", runs, items, Double(bytes.count * runs) / 1e6 / secs))
