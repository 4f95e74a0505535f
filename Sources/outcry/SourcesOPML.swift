import ArgumentParser
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import OutcryApp
import OutcryModel

/// One feed read from an OPML file: its title, feed URL and the category (outline folder or
/// `category` attribute) it was filed under.
struct OPMLFeed: Equatable {
    var title: String
    var url: String
    var category: String?
}

/// Reads the feed outlines of an OPML 1.0/2.0 file (what Miniflux, Feedly, Inoreader and
/// NetNewsWire export): every `<outline>` with an `xmlUrl`, its category being the enclosing
/// outline's text or its own `category` attribute (first path element).
final class OPMLReader: NSObject, XMLParserDelegate {
    private var folders: [String?] = []
    private(set) var feeds: [OPMLFeed] = []
    private var sawOPML = false

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    static func read(_ data: Data, name: String) throws -> [OPMLFeed] {
        let reader = OPMLReader()
        let parser = XMLParser(data: data)
        parser.shouldResolveExternalEntities = false
        parser.delegate = reader
        guard parser.parse() else {
            let error = parser.parserError.map { "\($0.localizedDescription)" } ?? "unreadable XML"
            throw Failure(description: "\(name): line \(parser.lineNumber): not readable OPML (\(error))")
        }
        guard reader.sawOPML else { throw Failure(description: "\(name): not an OPML file (no <opml> element)") }
        return reader.feeds
    }

    func parser(_ parser: XMLParser, didStartElement element: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
        if element.lowercased() == "opml" { sawOPML = true }
        guard element.lowercased() == "outline" else { return }
        let text = (attributes["title"] ?? attributes["text"])?.trimmingCharacters(in: .whitespacesAndNewlines)
        if let url = (attributes["xmlUrl"] ?? attributes["xmlurl"])?.trimmingCharacters(in: .whitespacesAndNewlines), !url.isEmpty {
            let attribute = attributes["category"]?.split(separator: ",").first?.split(separator: "/").first
                .map { $0.trimmingCharacters(in: .whitespaces) }
            let category = folders.last(where: { $0 != nil }) ?? nil
            feeds.append(OPMLFeed(title: text?.isEmpty == false ? text! : url, url: url,
                                  category: category ?? attribute.flatMap { $0.isEmpty ? nil : $0 }))
            folders.append(nil)
        } else {
            folders.append(text?.isEmpty == false ? text : nil)
        }
    }

    func parser(_ parser: XMLParser, didEndElement element: String, namespaceURI: String?, qualifiedName: String?) {
        if element.lowercased() == "outline", !folders.isEmpty { folders.removeLast() }
    }
}

/// Writes OPML 2.0 for feeds, one folder per brand (sources without a brand at the top level).
enum OPMLWriter {
    static func escape(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default:
                // XML 1.0 cannot carry most control characters at all: drop them.
                if scalar.value < 0x20 && scalar != "\t" && scalar != "\n" && scalar != "\r" { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    static func write(_ sources: [SourceConfig], title: String, now: Date) -> String {
        var text = """
            <?xml version="1.0" encoding="UTF-8"?>
            <opml version="2.0">
              <head>
                <title>\(escape(title))</title>
                <dateCreated>\(now.formatted(.iso8601))</dateCreated>
              </head>
              <body>

            """
        func outline(_ s: SourceConfig, indent: String) -> String {
            "\(indent)<outline type=\"rss\" text=\"\(escape(s.name))\" title=\"\(escape(s.name))\" xmlUrl=\"\(escape(SecretMasking.maskURL(s.url)))\"/>\n"
        }
        var brands: [String] = []
        for s in sources { if let b = s.brand, !brands.contains(b) { brands.append(b) } }
        for brand in brands {
            text += "    <outline text=\"\(escape(brand))\" title=\"\(escape(brand))\">\n"
            for s in sources where s.brand == brand { text += outline(s, indent: "      ") }
            text += "    </outline>\n"
        }
        for s in sources where s.brand == nil { text += outline(s, indent: "    ") }
        text += "  </body>\n</opml>\n"
        return text
    }
}

/// Inserting sources into the configuration file's `sources:` list, as YAML text: the rest of
/// the file (comments, order, `${VARS}`) stays as written.
enum ConfigSourcesEditor {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// A YAML double-quoted scalar.
    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F { out += String(format: "\\x%02X", scalar.value) } else { out.unicodeScalars.append(scalar) }
            }
        }
        return out + "\""
    }

    /// `text` with `entries` (YAML list items, unindented) appended to the top-level `sources:` list.
    static func insert(_ entries: [String], into text: String) throws -> String {
        var lines = text.components(separatedBy: "\n")
        guard let start = lines.firstIndex(where: { $0.hasPrefix("sources:") }) else {
            // No list yet: add one at the end.
            let body = entries.map { "  " + $0.replacingOccurrences(of: "\n", with: "\n  ") }.joined(separator: "\n")
            return text + (text.hasSuffix("\n") || text.isEmpty ? "" : "\n") + "sources:\n" + body + "\n"
        }
        if lines[start].trimmingCharacters(in: .whitespaces).count > "sources:".count,
           !lines[start].dropFirst("sources:".count).trimmingCharacters(in: .whitespaces).hasPrefix("#") {
            throw Failure(description: "the `sources:` list is written inline (flow style) on line \(start + 1); write it as a block list to import into it")
        }
        // The list ends before the next line that starts at column 0 with something other than a comment or "- ".
        var end = start + 1
        var lastItemLine = start
        var indent: String?
        while end < lines.count {
            let line = lines[end]
            if let first = line.first, !first.isWhitespace, first != "#", first != "-" { break }
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if !trimmed.isEmpty && !trimmed.hasPrefix("#") {
                lastItemLine = end
                if indent == nil, trimmed.hasPrefix("-") { indent = String(line.prefix { $0 == " " }) }
            }
            end += 1
        }
        let pad = indent ?? "  "
        let block = entries.map { entry in
            entry.split(separator: "\n", omittingEmptySubsequences: false).map { pad + $0 }.joined(separator: "\n")
        }
        lines.insert(contentsOf: block, at: lastItemLine + 1)
        return lines.joined(separator: "\n")
    }
}

struct SourcesImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Add the feeds of an OPML file (from Miniflux, Feedly, any reader) to the configuration's `sources:`.",
        discussion: """
            Each feed outline becomes a source (kind feed, the default interval). An outline's category (its folder, or its
            `category` attribute) that names a configured brand becomes the source's `brand:`; any other category is kept as
            a comment on the entry. Feeds whose URL or name is already configured are skipped. The file is checked with the
            new entries before it is written; `--dry-run` prints the entries instead.
            """
    )

    @OptionGroup var options: GlobalOptions

    @Argument(help: "The OPML file.")
    var file: String

    @Flag(help: "Print what would be added; change nothing.")
    var dryRun = false

    func run() async throws {
        let config = try options.load()
        guard let data = FileManager.default.contents(atPath: file) else {
            Terminal.error("cannot read '\(file)': no such file or not readable")
            throw ExitCode(ExitCodes.configOrStore)
        }
        let feeds: [OPMLFeed]
        do { feeds = try OPMLReader.read(data, name: file) } catch {
            Terminal.error("\(error)")
            throw ExitCode(ExitCodes.configOrStore)
        }
        var names = Set(config.sources.map(\.name))
        let urls = Set(config.sources.map(\.url))
        let brands = config.brands.map(\.name)
        var entries: [String] = []
        var skipped: [String] = []
        for feed in feeds {
            guard let scheme = URL(string: feed.url)?.scheme?.lowercased(), ["http", "https"].contains(scheme) else {
                skipped.append("\(feed.title): not an http(s) URL (\(SecretMasking.maskURL(feed.url)))")
                continue
            }
            if urls.contains(feed.url) { skipped.append("\(feed.title): already configured"); continue }
            var name = Self.slug(feed.title)
            if names.contains(name) {
                var n = 2
                while names.contains("\(name)-\(n)") { n += 1 }
                name = "\(name)-\(n)"
            }
            names.insert(name)
            var entry = "- name: \(ConfigSourcesEditor.quoted(name))\n  url: \(ConfigSourcesEditor.quoted(feed.url))\n  kind: feed"
            if let category = feed.category {
                if let brand = brands.first(where: { $0.caseInsensitiveCompare(category) == .orderedSame }) {
                    entry += "\n  brand: \(ConfigSourcesEditor.quoted(brand))"
                } else {
                    entry += "\n  # OPML category: \(category.replacingOccurrences(of: "\n", with: " ")) (no brand of that name)"
                }
            }
            entries.append(entry)
        }
        for line in skipped { Terminal.out("skipped \(line)") }
        guard !entries.isEmpty else {
            Terminal.out("\(file): no new feeds (\(Plural.count(feeds.count, "feed")) read)")
            return
        }
        let path = options.configPath
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            Terminal.error("cannot read \(path)")
            throw ExitCode(ExitCodes.configOrStore)
        }
        let updated: String
        do {
            updated = try ConfigSourcesEditor.insert(entries, into: text)
            _ = try ConfigLoader.parse(updated, path: ConfigLoader.absolute(path), environment: ProcessInfo.processInfo.environment)
        } catch {
            Terminal.error("\(path): the imported sources would not make a valid configuration, nothing written:\n\(error)")
            throw ExitCode(ExitCodes.configOrStore)
        }
        if dryRun {
            Terminal.out(entries.joined(separator: "\n"))
            Terminal.out("\(Plural.count(entries.count, "source")) would be added to \(path) (dry run)")
            return
        }
        do { try updated.write(toFile: path, atomically: true, encoding: .utf8) } catch {
            Terminal.error("cannot write \(path): \(error)")
            throw ExitCode(ExitCodes.configOrStore)
        }
        Terminal.out("\(Plural.count(entries.count, "source")) added to \(path)" + (skipped.isEmpty ? "" : ", \(skipped.count) skipped")
                     + "; `outcry poll` reads them on its next pass")
    }

    /// A source name from a feed title: lower case, letters, digits and dashes.
    static func slug(_ title: String) -> String {
        var out = ""
        for ch in title.lowercased() {
            if ch.isLetter || ch.isNumber { out.append(ch) } else if !out.hasSuffix("-"), !out.isEmpty { out.append("-") }
        }
        while out.hasSuffix("-") { out.removeLast() }
        return out.isEmpty ? "feed" : String(out.prefix(48))
    }
}

struct SourcesExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Print the configured feeds as OPML 2.0 (one folder per brand), for any feed reader.",
        discussion: "Mailboxes and JSON API sources are left out (readers cannot poll them). Secrets in URLs are masked."
    )

    @OptionGroup var options: GlobalOptions

    func run() async throws {
        let config = try options.load()
        let feeds = config.sources.filter { $0.kind == .feed }
        print(OPMLWriter.write(feeds, title: "Outcry sources", now: Date()), terminator: "")
        let left = config.sources.count - feeds.count
        if left > 0 { FileHandle.standardError.write(Data("outcry: \(Plural.count(left, "source")) left out (mailboxes and JSON APIs are not feeds)\n".utf8)) }
    }
}
