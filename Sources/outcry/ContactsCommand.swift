import ArgumentParser
import Foundation
import OutcryApp
import OutcryModel
import OutcryStore

struct ContactsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "contacts", abstract: "CRM contacts: import, show, find duplicates, merge, sync.",
        subcommands: [
            ContactsImportCommand.self, ContactsShowCommand.self, ContactsDuplicatesCommand.self, ContactsMergeCommand.self,
            ContactsSyncCommand.self,
        ]
    )
}

/// The name written in audit entries for what a person did from the command line
/// ($OUTCRY_USER, else `cli:$USER`; see `Actor`).
var cliActor: String {
    Actor.resolve(by: nil)
}

/// Finds a contact by id, external id or email, or exits with code 2 saying so.
func requireContact(_ store: Store, _ key: String) async throws -> Contact {
    // An address two contacts hold names neither for sure: say so rather than pick one (an export
    // or an erasure of one would silently leave the other's data behind).
    let trimmed = key.trimmingCharacters(in: .whitespaces)
    if trimmed.contains("@") {
        let holders = try await store.contacts(withEmail: trimmed)
        if holders.count > 1 {
            Terminal.error("\(holders.count) contacts hold \(trimmed); give one of their ids:")
            for c in holders { Terminal.error("  #\(c.id ?? 0)  \(c.name)  (CRM id \(c.externalID))") }
            throw ExitCode(ExitCodes.configOrStore)
        }
    }
    guard let contact = try await store.findContact(key) else {
        Terminal.error("no contact '\(key)' (give its id, external id or email address)")
        throw ExitCode(ExitCodes.configOrStore)
    }
    return contact
}
