import Foundation
import OutcryParse

/// `outcry parse feed|mail`: a document's bytes to the JSON of the stable contracts in DESIGN.md.
public enum ParseDocuments {
    /// An RSS, Atom, RDF or JSON feed as feedparser-shaped JSON (key-sorted, one line and a
    /// newline); an ill-formed feed still gives JSON, with `bozo` set.
    public static func feedJSON(_ bytes: [UInt8], contentType: String?, url: String?) throws -> Data {
        let parsed = FeedParser.parse(bytes, contentType: contentType, url: url)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var data = try encoder.encode(parsed)
        data.append(0x0A)
        return data
    }

    /// An RFC 5322 / MIME message as JSON (key-sorted; indented with `pretty`) and a newline;
    /// a broken message still gives JSON, with `defects`.
    public static func mailJSON(_ bytes: [UInt8], pretty: Bool) throws -> Data {
        let mail = MailParser.parse(bytes)
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        var output = try encoder.encode(mail)
        output.append(0x0A)
        return output
    }
}

/// `outcry parse bench` (hidden): feed parsing throughput of one document on one core, for
/// three paths: the poller's (`FeedReader.read`, bytes to mentions, fast path when it accepts);
/// the same mentions by the general path alone (`FeedParser.parse` then `mentions`); and the
/// full feedparser-shaped parse (what `outcry parse feed` builds), for reference.
public enum FeedParseBench {
    /// One tab-separated line per path: name, path, MB/s, items/s, (runs, size). Each path runs
    /// for at least `seconds` and at least three times.
    public static func measure(_ bytes: [UInt8], name: String, url: String, seconds: Double) -> [String] {
        let fetchedAt = Date()
        var fast = false
        let poller = time(seconds) {
            let read = FeedReader.read(bytes, contentType: nil, url: url, sourceName: "bench", fetchedAt: fetchedAt)
            fast = read.fast
            return read.mentions.count
        }
        var lines = [line(name, "poller: bytes -> mentions (\(fast ? "fast path" : "general path"))", poller, bytes.count)]
        let general = time(seconds) {
            FeedParser.parse(bytes, url: url).mentions(sourceName: "bench", fetchedAt: fetchedAt).count
        }
        lines.append(line(name, "general path to mentions (no fast path)", general, bytes.count))
        var version = ""
        let full = time(seconds) {
            let parsed = FeedParser.parse(bytes, url: url)
            version = parsed.version
            return parsed.entries.count
        }
        lines.append(line(name, "full feedparser-shaped parse (\(version))", full, bytes.count))
        return lines
    }

    private static func time(_ seconds: Double, _ body: () -> Int) -> (secs: Double, runs: Int, items: Int) {
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

    private static func line(_ name: String, _ what: String, _ m: (secs: Double, runs: Int, items: Int), _ size: Int) -> String {
        let mb = Double(size * m.runs) / 1_000_000 / m.secs
        let perSecond = Double(m.items) / m.secs
        return String(format: "%@\t%@\t%.1f MB/s\t%.0f items/s\t(%d runs, %.2f MB)", name, what, mb, perSecond, m.runs, Double(size) / 1e6)
    }
}
