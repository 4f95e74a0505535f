import ArgumentParser
import Foundation
import OutcryApp
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
        let audit = try await withDesk(config) { desk in
            let a = try await requireContact(desk, keep)
            let b = try await requireContact(desk, other)
            guard a.id != b.id else {
                Terminal.error("'\(keep)' and '\(other)' are the same contact")
                throw ExitCode(ExitCodes.configOrStore)
            }
            return try await desk.mergeContacts(keep: a.id, remove: b.id, by: cliActor)
        }
        for line in audit { Terminal.out(line) }
    }
}
