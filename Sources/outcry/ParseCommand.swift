import ArgumentParser
import Foundation
import OutcryApp

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
        FileHandle.standardOutput.write(try ParseDocuments.feedJSON(bytes, contentType: contentType, url: url))
    }
}

/// `outcry parse bench FILE...` (hidden): read each file repeatedly on one core and report
/// throughput in MB/s and items/s of three parse paths (``FeedParseBench``).
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
            for line in FeedParseBench.measure(bytes, name: name, url: url, seconds: seconds) { print(line) }
        }
    }
}
