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
    guard let contact = try await store.findContact(key) else {
        Terminal.error("no contact '\(key)' (give its id, external id or email address)")
        throw ExitCode(ExitCodes.configOrStore)
    }
    return contact
}
