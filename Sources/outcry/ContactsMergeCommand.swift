import ArgumentParser
import Foundation
import OutcryApp
import OutcryContacts
import OutcryModel

struct ContactsMergeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge", abstract: "Merge contact B into contact A: both histories stay on A; an audit entry says what was kept.",
        discussion: "A keeps its CRM id; B's CRM id is remembered, so a later import of B updates A. An opt-out on either carries over."
    )

    @OptionGroup var options: GlobalOptions

    @Argument(help: "The contact to keep (id, CRM id or email).")
    var keep: String

    @Argument(help: "The contact merged into it and removed.")
    var other: String

    func run() async throws {
        let config = try options.load()
        let audit = try await withStore(config) { store in
            let a = try await requireContact(store, keep)
            let b = try await requireContact(store, other)
            guard let keepID = a.id, let removeID = b.id, keepID != removeID else {
                Terminal.error("'\(keep)' and '\(other)' are the same contact")
                throw ExitCode(ExitCodes.configOrStore)
            }
            let result = ContactMerge.merge(b, into: a)
            try await store.mergeContacts(keep: keepID, remove: removeID, merged: result.merged, audit: result.audit, actor: cliActor)
            return result.audit
        }
        for line in audit { Terminal.out(line) }
    }
}
