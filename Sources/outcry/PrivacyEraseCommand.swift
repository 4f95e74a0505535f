import ArgumentParser
import Foundation
import OutcryApp

struct PrivacyEraseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "erase",
        abstract: "Erase a person: their contact, identifiers and the personal content of their mentions and threads.",
        discussion: """
            Mentions stay with their scores and severity (text becomes '[erased]'; title, HTML, URL and author \
            fields are removed), so counts and reports keep working. Their identifiers are remembered as hashes \
            only, so no later import or mention links them again. The database is rewritten with secure_delete \
            and the WAL checkpointed, so the bytes are gone from the files. This cannot be undone.
            """
    )

    @OptionGroup var options: GlobalOptions

    @Argument(help: "The contact's id, CRM id or email address.")
    var contact: String

    func run() async throws {
        let config = try options.load()
        let result = try await withDesk(config) { desk in
            let record = try await requireContact(desk, contact)
            return try await desk.erase(record.id, by: cliActor)
        }
        Terminal.out("erased contact #\(result.contactID): \(result.mentionsAnonymised) mentions and \(result.threadsAnonymised) threads anonymised, "
              + "\(result.identifiersSuppressed) identifiers suppressed" + (result.labelsDeleted > 0 ? ", \(result.labelsDeleted) labels deleted" : ""))
        if !result.checkpointed {
            Terminal.error("another process is reading the database, so the WAL was not fully checkpointed; the old bytes stay in outcry.sqlite-wal until SQLite's next full checkpoint, when no other process is reading")
        }
    }
}
