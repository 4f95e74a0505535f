import ArgumentParser
import Foundation
import OutcryApp

/// `outcry parse mail FILE|-`: one RFC 5322/MIME message in, one JSON object out
/// (the contract in DESIGN.md). Broken messages still print JSON, with `defects`.
struct ParseMailCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mail",
        abstract: "Parse an RFC 5322 / MIME message and print it as JSON.",
        discussion: """
            Prints message_id, in_reply_to, references, from, to, cc, reply_to, subject, date (ISO 8601), \
            text (best plain text), html, attachments (name, type, size; no content), defects, \
            new_text (the sender's own words, without quoted replies and signature) and kind \
            (customer, auto_reply, bounce, feedback_report, list) with kind_reason.
            """
    )

    @Argument(help: "The message file, or - for standard input.")
    var file: String

    @Flag(help: "Indent the JSON.")
    var pretty = false

    func run() async throws {
        let bytes: [UInt8]
        do {
            bytes = try InputFile.read(file)
        } catch {
            Terminal.error("parse mail: cannot read '\(file)': no such file or not readable")
            throw ExitCode(ExitCodes.configOrStore)
        }
        FileHandle.standardOutput.write(try ParseDocuments.mailJSON(bytes, pretty: pretty))
    }
}
