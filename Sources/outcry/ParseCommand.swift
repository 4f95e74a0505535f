import ArgumentParser
import Foundation
import OutcryParse

/// `outcry parse …`: run a parser on a file and print its result as JSON (the stable
/// contracts in DESIGN.md).
struct ParseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parse",
        abstract: "Parse a document and print the result as JSON.",
        subcommands: [ParseFeedCommand.self, ParseMailCommand.self, BenchParseCommand.self]
    )
}

/// Reads a whole file, or standard input for `-`, as bytes.
enum InputFile {
    static func read(_ path: String) throws -> [UInt8] {
        if path == "-" { return [UInt8](FileHandle.standardInput.readDataToEndOfFile()) }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ValidationError("cannot read '\(path)': no such file or not readable")
        }
        return [UInt8](data)
    }
}

/// `outcry parse feed FILE|-`: RSS, Atom, RDF or JSON Feed → feedparser-shaped JSON.
struct ParseFeedCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "feed",
        abstract: "Parse an RSS, Atom, RDF or JSON feed and print feedparser-shaped JSON (exit 0 even when ill-formed)."
    )

    @Argument(help: "The feed file, or - for standard input.")
    var file: String

    @Option(name: .long, help: "The HTTP Content-Type the feed was served with (it can decide the encoding).")
    var contentType: String?

    @Option(name: .long, help: "The URL the feed came from, the base for relative links.")
    var url: String?

    func run() async throws {
        let bytes: [UInt8]
        do {
            bytes = try InputFile.read(file)
        } catch {
            FileHandle.standardError.write(Data("outcry parse feed: cannot read '\(file)': no such file or not readable\n".utf8))
            throw ExitCode(2)
        }
        let parsed = FeedParser.parse(bytes, contentType: contentType, url: url)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var data = try encoder.encode(parsed)
        data.append(0x0A)
        FileHandle.standardOutput.write(data)
    }
}

/// `outcry parse bench FILE...` (hidden): read each file repeatedly on one core and report
/// throughput in MB/s and items/s for: the poller's path (`FeedReader.read`, bytes to
/// mentions, fast path when it accepts); the same mentions by the general path alone
/// (`FeedParser.parse` then `mentions`, the poller's path before the fast path); and the full
/// feedparser-shaped parse (`FeedParser.parse`, what `outcry parse feed` builds), for reference.
struct BenchParseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench", abstract: "Measure feed parsing throughput.", shouldDisplay: false)

    @Argument(help: "Feed files to parse.")
    var files: [String]

    @Option(name: .long, help: "Minimum seconds to spend per file and path.")
    var seconds: Double = 2

    @Option(name: .long, help: "The document's URL (the base for relative links), as the poller passes it.")
    var url: String = "https://social.example/feed"

    func run() async throws {
        print("file\tpath\tMB/s\titems/s\t(runs, size)   [url \(url)]")
        for path in files {
            let bytes: [UInt8]
            do { bytes = try InputFile.read(path) } catch {
                FileHandle.standardError.write(Data("cannot read '\(path)'\n".utf8))
                throw ExitCode(2)
            }
            let name = (path as NSString).lastPathComponent
            let fetchedAt = Date()
            var fast = false
            let poller = measure(bytes) {
                let read = FeedReader.read(bytes, contentType: nil, url: url, sourceName: "bench", fetchedAt: fetchedAt)
                fast = read.fast
                return read.mentions.count
            }
            print(line(name, "poller: bytes -> mentions (\(fast ? "fast path" : "general path"))", poller, bytes.count))
            let general = measure(bytes) {
                FeedParser.parse(bytes, url: url).mentions(sourceName: "bench", fetchedAt: fetchedAt).count
            }
            print(line(name, "general path to mentions (no fast path)", general, bytes.count))
            var version = ""
            let full = measure(bytes) {
                let parsed = FeedParser.parse(bytes, url: url)
                version = parsed.version
                return parsed.entries.count
            }
            print(line(name, "full feedparser-shaped parse (\(version))", full, bytes.count))
        }
    }

    private func measure(_ bytes: [UInt8], _ body: () -> Int) -> (secs: Double, runs: Int, items: Int) {
        var runs = 0
        var items = 0
        let clock = ContinuousClock()
        let start = clock.now
        var elapsed = Duration.zero
        repeat {
            items += body()
            runs += 1
            elapsed = clock.now - start
        } while elapsed < .milliseconds(Int(seconds * 1000)) || runs < 3
        return (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18, runs, items)
    }

    private func line(_ name: String, _ what: String, _ m: (secs: Double, runs: Int, items: Int), _ size: Int) -> String {
        let mb = Double(size * m.runs) / 1_000_000 / m.secs
        let perSecond = Double(m.items) / m.secs
        return String(format: "%@\t%@\t%.1f MB/s\t%.0f items/s\t(%d runs, %.2f MB)", name, what, mb, perSecond, m.runs, Double(size) / 1e6)
    }
}
