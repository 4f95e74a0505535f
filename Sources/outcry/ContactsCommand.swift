import ArgumentParser
import Foundation
import OutcryApp
import OutcryModel

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
func requireContact(_ desk: Desk, _ key: String) async throws -> IdentifiedContact {
    do {
        return try await desk.findContact(key)
    } catch ContactLookupError.ambiguous(let address, let holders) {
        // An address two contacts hold names neither for sure: say so rather than pick one.
        Terminal.error("\(holders.count) contacts hold \(address); give one of their ids:")
        for c in holders { Terminal.error("  #\(c.id)  \(c.contact.name)  (CRM id \(c.contact.externalID))") }
        throw ExitCode(ExitCodes.configOrStore)
    } catch ContactLookupError.notFound {
        Terminal.error("no contact '\(key)' (give its id, external id or email address)")
        throw ExitCode(ExitCodes.configOrStore)
    }
}
