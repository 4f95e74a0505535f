import ArgumentParser
import Foundation
import OutcryApp
import OutcryContacts
import OutcryModel

struct ContactsDuplicatesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "duplicates", abstract: "Contacts that are likely the same person, with a score and the reasons.",
        discussion: "Merge a pair with `outcry contacts merge KEEP OTHER`."
    )

    @OptionGroup var options: GlobalOptions

    @Option(help: "Report pairs scoring at least this (0…1).")
    var minimum = 0.75

    func run() async throws {
        let config = try options.load()
        let contacts = try await withStore(config) { store in
            var all: [Contact] = []
            var after: Int64 = 0
            while true {
                let page = try await store.contacts(after: after, limit: 10_000)
                guard let last = page.last?.id else { break }
                all += page
                after = last
            }
            return all
        }
        let region = config.contacts.defaultRegion.flatMap(PhoneRegion.named)
        let pairs = ContactDuplicates.find(in: contacts, options: .init(minimumScore: minimum, defaultRegion: region))
        for pair in pairs {
            let a = contacts[pair.first], b = contacts[pair.second]
            Terminal.out(String(format: "%.2f", pair.score) + "  #\(a.id ?? 0) \(a.externalID) \(a.name)  ≈  #\(b.id ?? 0) \(b.externalID) \(b.name): "
                  + pair.reasons.joined(separator: ", "))
        }
        Terminal.out("\(pairs.count) likely duplicate pairs among \(contacts.count) contacts")
    }
}
