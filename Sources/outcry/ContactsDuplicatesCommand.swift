import ArgumentParser
import Foundation
import OutcryApp
import OutcryModel

struct ContactsDuplicatesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "duplicates", abstract: "Contacts that are likely the same person, with a score and the reasons.",
        discussion: "Merge a pair with `outcry contacts merge KEEP OTHER`."
    )

    @OptionGroup var options: GlobalOptions

    @Option(help: "Report pairs scoring at least this (0…1).")
    var minimum = 0.75

    func validate() throws {
        guard (0...1).contains(minimum) else { throw ValidationError("--minimum must be between 0 and 1") }
    }

    func run() async throws {
        let config = try options.load()
        let (pairs, count) = try await withDesk(config) { try await $0.contactDuplicates(minimum: minimum) }
        for pair in pairs {
            let a = pair.first, b = pair.second
            Terminal.out(String(format: "%.2f", pair.score) + "  #\(pair.firstID) \(a.externalID) \(a.name)  ≈  #\(pair.secondID) \(b.externalID) \(b.name): "
                  + pair.reasons.joined(separator: ", "))
        }
        Terminal.out("\(pairs.count) likely duplicate pairs among \(count) contacts")
    }
}
