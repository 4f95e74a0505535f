import ArgumentParser
import Foundation
import OutcryParse

/// `outcry parse …`: run a parser on a file and print its result as JSON (the stable
/// contracts in DESIGN.md).
struct ParseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parse",
        abstract: "Parse a document and print the result as JSON.",
        subcommands: [ParseFeedCommand.self, BenchParseCommand.self]
    )
}

/// Reads a whole file, or standard input for `-`, as bytes.
enum InputFile {
    static func contents(of path: String) throws -> [UInt8] {
        if path == "-" {
            var bytes: [UInt8] = []
            var chunk = [UInt8](repeating: 0, count: 1 << 16)
            while true {
                let n = chunk.withUnsafeMutableBytes { read(0, $0.baseAddress, $0.count) }
                if n <= 0 { break }
                bytes.append(contentsOf: chunk[0..<n])
            }
            return bytes
        }
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
            bytes = try InputFile.contents(of: file)
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

/// `outcry parse bench FILE...` (hidden): parse each file repeatedly on one core and report
/// throughput in MB/s and items/s.
struct BenchParseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench", abstract: "Measure feed parsing throughput.", shouldDisplay: false)

    @Argument(help: "Feed files to parse.")
    var files: [String]

    @Option(name: .long, help: "Minimum seconds to spend per file.")
    var seconds: Double = 2

    func run() async throws {
        for path in files {
            let bytes: [UInt8]
            do { bytes = try InputFile.contents(of: path) } catch {
                FileHandle.standardError.write(Data("cannot read '\(path)'\n".utf8))
                throw ExitCode(2)
            }
            var runs = 0
            var items = 0
            var version = ""
            let clock = ContinuousClock()
            let start = clock.now
            var elapsed = Duration.zero
            repeat {
                let parsed = FeedParser.parse(bytes)
                items += parsed.entries.count
                version = parsed.version
                runs += 1
                elapsed = clock.now - start
            } while elapsed < .milliseconds(Int(seconds * 1000)) || runs < 3
            let secs = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            let mb = Double(bytes.count * runs) / 1_000_000 / secs
            let perSecond = Double(items) / secs
            let name = (path as NSString).lastPathComponent
            print(String(format: "%@\t%@\t%.1f MB/s\t%.0f items/s\t(%d runs, %.2f MB)", name, version, mb, perSecond, runs, Double(bytes.count) / 1e6))
        }
    }
}
