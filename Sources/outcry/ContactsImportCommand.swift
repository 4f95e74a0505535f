import ArgumentParser
import Foundation
import OutcryApp

struct ContactsImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import contacts from a CRM export (CSV of HubSpot/Salesforce/Pipedrive/Zoho/Google, JSON lines, vCard).",
        discussion: """
            The whole file is imported in one transaction: if it cannot be read, nothing changes. Contacts are \
            updated by their CRM id, so importing again updates them without duplicates.
            Exit code 0: every row imported; 1: some rows were rejected (listed with their line); 2: the file \
            cannot be used, or a configuration or store error.
            """
    )

    @OptionGroup var options: GlobalOptions

    @Argument(help: "The file to import.")
    var file: String

    @Option(help: "csv, jsonl or vcard (default: detected from the content).")
    var format: String?

    @Option(help: "ISO region of national phone numbers, e.g. GB (default: contacts.default_region).")
    var region: String?

    @Option(name: .customLong("map"), help: ArgumentHelp(
        "Read a column into a field, e.g. --map \"Work Email=email\" (repeatable; on top of contacts.mapping).",
        valueName: "COLUMN=FIELD"))
    var maps: [String] = []

    @Flag(help: "Show which column fills which field and what would be rejected; import nothing.")
    var dryRun = false

    var arguments: ContactImportArguments { ContactImportArguments(format: format, region: region, maps: maps) }

    func validate() throws {
        if let problem = arguments.problem { throw ValidationError(problem) }
    }

    func run() async throws {
        let config = try options.load()
        if dryRun {
            try preview(Application(config: config))
            return
        }
        let progress = ProgressBar.forStandardError()
        var onProgress: (@Sendable (Int64, Int64) -> Void)?
        if let progress { onProgress = { done, total in progress.update(done, of: total) } }
        let report: ContactImportOutcome
        do {
            report = try await Application(config: config).importContactFile(path: file, arguments: arguments, actor: cliActor, progress: onProgress)
            progress?.finish()
        } catch {
            progress?.finish()
            Terminal.error("\(file): \(error) — nothing was imported")
            throw ExitCode(ExitCodes.configOrStore)
        }
        Self.printRepeats(report.repeats, count: report.repeatCount, file: file)
        for rejection in report.rejections { Terminal.out("\(file):\(rejection.line): \(rejection.verdict): \(rejection.kind)\(rejection.detail.isEmpty ? "" : ": \(rejection.detail)")") }
        Terminal.out("\(file): \(report.summary)")
        if !report.rejections.isEmpty { throw ExitCode(ExitCodes.someSourcesFailed) }
    }
}

extension ContactsImportCommand {
    /// `--dry-run`: the column map, the count, every rejection; exit 1 when some would be rejected.
    func preview(_ app: Application) throws {
        let preview: ContactImportDryRun
        do {
            preview = try app.previewContactFile(path: file, arguments: arguments)
        } catch {
            Terminal.error("\(file): \(error)")
            throw ExitCode(ExitCodes.configOrStore)
        }
        if let columns = preview.columns {
            let delimiter = preview.delimiter.map { $0 == "\t" ? "tab" : "'\($0)'" } ?? "?"
            Terminal.out("\(file): CSV, \(delimiter)-separated; columns:")
            let width = min(40, columns.map(\.header.count).max() ?? 0)
            for column in columns {
                let name = column.header
                Terminal.out("  \(name.padding(toLength: max(width, name.count), withPad: " ", startingAt: 0))  → \(column.field ?? "(not read)")")
            }
        }
        for rejection in preview.rejections {
            Terminal.out("\(file):\(rejection.line): would be \(rejection.fieldOnly ? "left out (field)" : "rejected"): \(rejection.kind)\(rejection.detail.isEmpty ? "" : ": \(rejection.detail)")")
        }
        Self.printRepeats(preview.repeats, count: preview.repeatCount, file: file)
        let rejected = preview.rejections.filter { !$0.fieldOnly }.count
        Terminal.out("\(file): dry run — \(preview.contacts) contact\(preview.contacts == 1 ? "" : "s") would be imported, \(rejected) row\(rejected == 1 ? "" : "s") rejected; nothing was imported")
        if !preview.rejections.isEmpty { throw ExitCode(ExitCodes.someSourcesFailed) }
    }
}

extension ContactsImportCommand {
    /// `FILE:LINE: warning: CRM id 'X' also on line N; …`, the first ones, then how many more.
    static func printRepeats(_ repeats: [ContactImportRepeat], count: Int, file: String) {
        for r in repeats.prefix(20) { Terminal.out("\(file):\(r.line): warning: \(r.message)") }
        if count > min(20, repeats.count) { Terminal.out("\(file): warning: \(count - min(20, repeats.count)) more repeated CRM ids") }
    }
}

/// A one-line progress bar on stderr (bytes read of the file's size), only when stderr is a terminal.
final class ProgressBar: @unchecked Sendable {
    private let lock = NSLock()
    private var lastPermille = -1
    private var drawn = false

    static func forStandardError() -> ProgressBar? {
        isatty(STDERR_FILENO) == 1 ? ProgressBar() : nil
    }

    func update(_ done: Int64, of total: Int64) {
        guard total > 0 else { return }
        let permille = Int(min(1000, done * 1000 / total))
        lock.lock()
        defer { lock.unlock() }
        guard permille / 5 != lastPermille / 5 else { return }
        lastPermille = permille
        drawn = true
        let width = 30
        let filled = permille * width / 1000
        let bar = String(repeating: "#", count: filled) + String(repeating: " ", count: width - filled)
        let line = String(format: "\r[%@] %3d%%  %.1f / %.1f MB", bar, permille / 10, Double(done) / 1e6, Double(total) / 1e6)
        FileHandle.standardError.write(Data(line.utf8))
    }

    func finish() {
        lock.lock()
        defer { lock.unlock() }
        if drawn { FileHandle.standardError.write(Data("\n".utf8)) }
        drawn = false
    }
}
