import OutcryModel

/// The format of a contact import.
public enum ContactImportFormat: String, Sendable, CaseIterable {
    /// Detected from the first bytes: `{` is JSON lines, `BEGIN:VCARD` is vCard, else CSV.
    case auto
    case csv
    case jsonLines = "jsonl"
    case vCard = "vcard"
}

/// How to read a contact import.
///
/// ```swift
/// var options = ContactImportOptions(defaultRegion: PhoneRegion.named("GB"))
/// options.mapping = ["email": "Work Email", "name": "Full Name"]
/// ```
public struct ContactImportOptions: Sendable {
    public var format: ContactImportFormat
    /// Explicit field → column mapping (`ContactField` raw values as keys; `|` separates
    /// several columns for a multi-valued field). Unmapped fields are still recognised by name.
    public var mapping: [String: String]
    /// The region national phone numbers (without `+` or `00`) belong to.
    public var defaultRegion: PhoneRegion?
    /// CSV delimiter; nil sniffs `,`, `;` or tab from the header line.
    public var delimiter: UInt8?
    /// A record or line longer than this is rejected and skipped, so that one broken quote
    /// cannot make the import hold the rest of the file in memory.
    public var maxRecordBytes: Int

    public init(
        format: ContactImportFormat = .auto, mapping: [String: String] = [:], defaultRegion: PhoneRegion? = nil,
        delimiter: UInt8? = nil, maxRecordBytes: Int = 1 << 20
    ) {
        self.format = format
        self.mapping = mapping
        self.defaultRegion = defaultRegion
        self.delimiter = delimiter
        self.maxRecordBytes = maxRecordBytes
    }
}

/// A push decoder for contact imports: fed chunks of bytes, it returns the rows completed in
/// each. The streaming readers (`ContactImporter`, `ContactImportStream`) are built on it; use it
/// directly to import from anything else that produces bytes.
///
/// Memory is bounded by the chunk size plus one record (at most `maxRecordBytes`).
public struct ContactDecoder {
    private enum Body {
        case undecided
        case csv(CSVContactDecoder)
        case jsonLines(JSONLinesContactDecoder, LineSplitter)
        case vCard(VCardContactDecoder, LineSplitter)
    }

    private let options: ContactImportOptions
    private let builder: ContactRowBuilder
    private var body = Body.undecided
    /// Bytes held back until the format (and CSV delimiter) can be told.
    private var head: [UInt8] = []
    private var finished = false

    public init(options: ContactImportOptions = ContactImportOptions()) {
        self.options = options
        builder = ContactRowBuilder(region: options.defaultRegion)
    }

    /// Each CSV header column and the field it fills, once the header was read (nil for JSON
    /// lines and vCard, whose keys name their fields).
    public var columns: [ContactColumn]? {
        if case .csv(let decoder) = body { return decoder.columns }
        return nil
    }

    /// The CSV delimiter in use (given or sniffed), once the format is known.
    public var csvDelimiter: UInt8? {
        if case .csv(let decoder) = body { return decoder.delimiter }
        return nil
    }

    /// Decodes the next chunk of input; returns the rows it completed, in order.
    public mutating func feed<C: Collection>(_ chunk: C) throws(ContactImportError) -> [ContactImportRow] where C.Element == UInt8 {
        var rows: [ContactImportRow] = []
        if case .undecided = body {
            head.append(contentsOf: chunk)
            guard try decide(final: false) else { return rows }
            let held = head
            head = []
            try feedBody(held, into: &rows)
            return rows
        }
        try feedBody(Array(chunk), into: &rows)
        return rows
    }

    /// Ends the input; returns the last rows (and reports a record left open).
    public mutating func finish() throws(ContactImportError) -> [ContactImportRow] {
        guard !finished else { return [] }
        finished = true
        var rows: [ContactImportRow] = []
        if case .undecided = body {
            guard try decide(final: true) else { return rows }
            let held = head
            head = []
            try feedBody(held, into: &rows)
        }
        switch body {
        case .undecided:
            break
        case .csv(var decoder):
            try decoder.finish(into: &rows)
            body = .csv(decoder)
        case .jsonLines(let decoder, var lines):
            lines.finish { line, number in rows.append(contentsOf: decoder.decode(line: line, number: number)) }
        case .vCard(var decoder, var lines):
            lines.finish { line, number in decoder.take(line: line, number: number, into: &rows) }
            decoder.finish(into: &rows)
        }
        return rows
    }

    private mutating func feedBody(_ bytes: [UInt8], into rows: inout [ContactImportRow]) throws(ContactImportError) {
        switch body {
        case .undecided:
            break
        case .csv(var decoder):
            body = .undecided // release the decoder so it is mutated in place
            defer { body = .csv(decoder) }
            var failure: ContactImportError?
            bytes.withUnsafeBufferPointer { buffer in
                do throws(ContactImportError) { try decoder.feed(buffer, into: &rows) } catch { failure = error }
            }
            if let failure { throw failure }
        case .jsonLines(let decoder, var lines):
            body = .undecided
            let limit = options.maxRecordBytes
            lines.feed(bytes, limit: limit) { line, number in
                if let line { rows.append(contentsOf: decoder.decode(line: line, number: number)) }
                else { rows.append(.rejected(ContactRejection(line: number, kind: .malformed, detail: "line longer than \(limit) bytes"))) }
            }
            body = .jsonLines(decoder, lines)
        case .vCard(var decoder, var lines):
            body = .undecided
            let limit = options.maxRecordBytes
            lines.feed(bytes, limit: limit) { line, number in
                if let line { decoder.take(line: line, number: number, into: &rows) }
                else { rows.append(.rejected(ContactRejection(line: number, kind: .malformed, detail: "line longer than \(limit) bytes"))) }
            }
            body = .vCard(decoder, lines)
        }
    }

    /// Picks the format once enough of the input is seen; strips a UTF-8 byte order mark.
    private mutating func decide(final: Bool) throws(ContactImportError) -> Bool {
        if head.starts(with: [0xFF, 0xFE]) || head.starts(with: [0xFE, 0xFF]) {
            throw ContactImportError("the input is UTF-16; save it as UTF-8 (CSV UTF-8 in Excel) and import again")
        }
        if head.count < 3 && !final { return false }
        if head.starts(with: [0xEF, 0xBB, 0xBF]) { head.removeFirst(3) }
        var format = options.format
        if format == .auto {
            guard let first = head.firstIndex(where: { !ASCII.isSpace($0) }) else {
                if final { throw ContactImportError("the input is empty") }
                return false
            }
            if head[first] == UInt8(ascii: "{") {
                format = .jsonLines
            } else if head.count - first < 11 && !final {
                return false
            } else {
                format = ASCII.hasPrefixIgnoringCase(head[first...], "begin:vcard") ? .vCard : .csv
            }
        }
        switch format {
        case .csv, .auto:
            var delimiter = options.delimiter
            if delimiter == nil {
                // Sniff from the header line, which must be complete (or the input short).
                guard head.contains(UInt8(ascii: "\n")) || final || head.count > options.maxRecordBytes else { return false }
                delimiter = CSVRecordParser.sniffDelimiter(head)
            }
            do {
                body = .csv(CSVContactDecoder(delimiter: delimiter!, mapping: options.mapping, builder: builder,
                                              maxRecordBytes: options.maxRecordBytes))
            }
        case .jsonLines:
            do {
                body = .jsonLines(try JSONLinesContactDecoder(mapping: options.mapping, builder: builder), LineSplitter())
            } catch let error as ContactImportError { throw error } catch { throw ContactImportError("\(error)") }
        case .vCard:
            body = .vCard(VCardContactDecoder(builder: builder), LineSplitter())
        }
        return true
    }
}

/// Splits bytes into lines (LF, CRLF or CR), numbering them from 1.
struct LineSplitter {
    private var buffer: [UInt8] = []
    private var number = 1
    private var skipLF = false
    private var overflowing = false

    /// Calls `emit` with each complete line, or with nil for a line over `limit` bytes.
    mutating func feed(_ bytes: [UInt8], limit: Int, emit: (ArraySlice<UInt8>?, Int) -> Void) {
        for byte in bytes {
            if skipLF {
                skipLF = false
                if byte == UInt8(ascii: "\n") { continue }
            }
            if byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") {
                skipLF = byte == UInt8(ascii: "\r")
                if overflowing { overflowing = false } else { emit(buffer[...], number) }
                buffer.removeAll(keepingCapacity: true)
                number += 1
            } else if !overflowing {
                buffer.append(byte)
                if buffer.count > limit {
                    emit(nil, number)
                    overflowing = true
                    buffer.removeAll(keepingCapacity: true)
                }
            }
        }
    }

    mutating func finish(emit: (ArraySlice<UInt8>, Int) -> Void) {
        if !buffer.isEmpty && !overflowing { emit(buffer[...], number) }
        buffer.removeAll()
    }
}
