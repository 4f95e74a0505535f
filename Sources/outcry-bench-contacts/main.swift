// Benchmark of the contacts pipeline: stream-import a CSV, build the index, link mentions.
//
// usage: outcry-bench-contacts import FILE.csv            (import + normalise only: bounded memory)
//        outcry-bench-contacts link FILE.csv [MENTIONS] [--dump OUT]
//            (import, build the index, link MENTIONS; --dump writes every distinct mention's
//            link, in words, to OUT, so that two builds can be compared with diff)
// The mentions are drawn with a fixed seed: the same CSV gives the same mentions every run.
#if canImport(Glibc)
import Glibc
#endif
import Foundation
import OutcryModel
import OutcryContacts

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data((message + "\n").utf8))
    exit(2)
}

var arguments = CommandLine.arguments
var dumpPath: String?
if let flag = arguments.firstIndex(of: "--dump"), flag + 1 < arguments.count {
    dumpPath = arguments[flag + 1]
    arguments.removeSubrange(flag...(flag + 1))
}
guard arguments.count >= 3, ["import", "link"].contains(arguments[1]) else {
    fail("usage: outcry-bench-contacts import|link FILE.csv [MENTIONS]")
}
let mode = arguments[1]
let path = arguments[2]
let mentionCount = arguments.count > 3 ? Int(arguments[3]) ?? 1_000_000 : 1_000_000
let region = PhoneRegion.named("US")
let clock = ContinuousClock()

func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

let fd = open(path, O_RDONLY)
guard fd >= 0 else { fail("cannot open \(path)") }
defer { close(fd) }

var importer = ContactImporter(reader: FileDescriptorReader(fd, chunkSize: 1 << 16),
                               options: ContactImportOptions(defaultRegion: region))
var builder = ContactIndex.Builder(options: ContactMatchOptions(defaultRegion: region))
var imported = 0, rejected = 0, optedOut = 0
var firstRejection: ContactRejection?
/// Every 10th contact, kept to make mentions from.
var samples: [Contact] = []

let importStart = clock.now
do {
    while let row = try importer.next() {
        switch row {
        case .contact(let contact, _):
            imported += 1
            if contact.optedOut { optedOut += 1 }
            if mode == "link" {
                builder.add(contact)
                if imported % 10 == 0 { samples.append(contact) }
            }
        case .rejected(let rejection):
            rejected += 1
            if firstRejection == nil { firstRejection = rejection }
        }
    }
} catch {
    fail("import failed: \(error)")
}
let importTime = seconds(clock.now - importStart)
print("import: \(imported) contacts, \(rejected) rejected (first: \(firstRejection.map(String.init(describing:)) ?? "none")), \(optedOut) opted out")
print(String(format: "import: %.2f s, %.0f rows/s%@", importTime, Double(imported + rejected) / importTime,
             mode == "link" ? " (including index building input)" : ""))
guard mode == "link" else { exit(0) }

let buildStart = clock.now
let index = builder.build()
let buildTime = seconds(clock.now - buildStart)
print(String(format: "index: %d contacts, built (sorted) in %.2f s", index.count, buildTime))

// Mentions: 35% by sender email, 25% by handle, 10% by a phone number in the text, 15% by name
// with the company named (fuzzy), 15% by unknown people.
let now = Date()
var mentions: [Mention] = []
let distinct = min(mentionCount, 100_000)
mentions.reserveCapacity(distinct)
// A fixed sequence (SplitMix64), so that runs and builds link the same mentions.
var random = SplitMix64(state: 2026)
for n in 0..<distinct {
    let contact = random.pick(samples)
    let bucket = n % 20
    switch bucket {
    case 0..<7:
        mentions.append(Mention(sourceName: "mail", channel: .mail, key: "m\(n)", text: "Where is my refund?",
                                authorName: contact.name, authorEmail: contact.emails.first, fetchedAt: now))
    case 7..<12:
        let handle = contact.handles.first.map { "@" + $0.handle } ?? "@nobody_\(n)"
        mentions.append(Mention(sourceName: "x", channel: .social, key: "x\(n)", text: "@brand this is the third time",
                                authorName: contact.name, authorHandle: handle, fetchedAt: now))
    case 12..<14:
        let phone = contact.phones.first ?? "+14150000000"
        let national = "(\(phone.dropFirst(2).prefix(3))) \(phone.dropFirst(5).prefix(3))-\(phone.suffix(4))"
        mentions.append(Mention(sourceName: "feed", channel: .feed, key: "f\(n)", text: "Nobody calls back, my number is \(national)",
                                fetchedAt: now))
    case 14..<17:
        mentions.append(Mention(sourceName: "feed", channel: .feed, key: "n\(n)",
                                text: "\(contact.company ?? "") support has ignored me for a week", authorName: contact.name,
                                authorHandle: "@someone_\(n)", fetchedAt: now))
    default:
        mentions.append(Mention(sourceName: "mail", channel: .mail, key: "u\(n)", text: "Hello",
                                authorName: "Unknown Person\(n % 97)", authorEmail: "stranger\(n)@example.org", fetchedAt: now))
    }
}

var linked = 0, ambiguous = 0, anonymous = 0, unlinked = 0
let linkStart = clock.now
for n in 0..<mentionCount {
    let mention = mentions[n % mentions.count]
    switch index.link(mention, network: mention.channel == .social ? .x : nil) {
    case .linked: linked += 1
    case .ambiguous: ambiguous += 1
    case .optedOut: anonymous += 1
    case .unlinked: unlinked += 1
    }
}
let linkTime = seconds(clock.now - linkStart)
if let dumpPath {
    var out = ""
    for mention in mentions {
        out += "\(mention.key)\t\(index.link(mention, network: mention.channel == .social ? .x : nil))\n"
    }
    FileManager.default.createFile(atPath: dumpPath, contents: Data(out.utf8))
}
print("link: \(mentionCount) mentions (\(mentions.count) distinct): \(linked) linked, \(ambiguous) ambiguous, \(anonymous) opted out, \(unlinked) unlinked")
print(String(format: "link: %.2f s, %.0f mentions/s", linkTime, Double(mentionCount) / linkTime))
