/// A push parser for RFC 4180 CSV: fed bytes in chunks of any size, it hands out whole records
/// with the line each starts on.
///
/// Quoted fields may hold delimiters, doubled quotes and line breaks; CRLF, LF and lone CR all end
/// a record. It is lenient where exports are sloppy (a quote inside an unquoted field is kept as
/// text) and strict where data would be lost: a quote left open at the end of the input, or a
/// record longer than `maxRecordBytes`, is reported, not silently joined to what follows.
struct CSVRecordParser {
    /// One record's fields, as byte ranges of one buffer.
    struct Record {
        var bytes: [UInt8] = []
        var ends: [Int] = []
        var line = 1

        var count: Int { ends.count }

        func field(_ index: Int) -> ArraySlice<UInt8> {
            let start = index == 0 ? 0 : ends[index - 1]
            return bytes[start..<ends[index]]
        }

        func string(_ index: Int) -> String { String(decoding: field(index), as: UTF8.self) }

        var isBlank: Bool { ends.count <= 1 && bytes.isEmpty }
    }

    enum Event {
        case record(Record)
        /// A broken record, with the line it started on.
        case broken(line: Int, reason: String)
    }

    private enum State { case fieldStart, unquoted, quoted, quoteInQuoted, skipping }

    var delimiter: UInt8
    let maxRecordBytes: Int
    private var state = State.fieldStart
    private var current = Record()
    private var line = 1
    private var skipLF = false
    private var recordOpen = false

    init(delimiter: UInt8, maxRecordBytes: Int) {
        self.delimiter = delimiter
        self.maxRecordBytes = maxRecordBytes
        current.bytes.reserveCapacity(256)
        current.ends.reserveCapacity(32)
    }

    /// Parses `bytes`, calling `emit` for every record completed in them.
    mutating func feed(_ bytes: UnsafeBufferPointer<UInt8>, emit: (Event) throws -> Void) rethrows {
        let quote = UInt8(ascii: "\"")
        let lf = UInt8(ascii: "\n")
        let cr = UInt8(ascii: "\r")
        let delimiter = self.delimiter
        for byte in bytes {
            if skipLF {
                skipLF = false
                if byte == lf { continue }
            }
            if !recordOpen {
                recordOpen = true
                current.line = line
            }
            switch state {
            case .fieldStart, .unquoted:
                if byte == delimiter {
                    current.ends.append(current.bytes.count)
                    state = .fieldStart
                } else if byte == lf || byte == cr {
                    line += 1
                    skipLF = byte == cr
                    try endRecord(emit)
                } else if byte == quote && state == .fieldStart {
                    state = .quoted
                } else {
                    current.bytes.append(byte)
                    state = .unquoted
                }
            case .quoted:
                if byte == quote {
                    state = .quoteInQuoted
                } else {
                    if byte == lf { if !(current.bytes.last == cr) { line += 1 } } else if byte == cr { line += 1 }
                    current.bytes.append(byte)
                }
            case .quoteInQuoted:
                if byte == quote {
                    current.bytes.append(quote)
                    state = .quoted
                } else if byte == delimiter {
                    current.ends.append(current.bytes.count)
                    state = .fieldStart
                } else if byte == lf || byte == cr {
                    line += 1
                    skipLF = byte == cr
                    try endRecord(emit)
                } else {
                    current.bytes.append(byte) // `"abc"def`: keep the text
                    state = .unquoted
                }
            case .skipping:
                if byte == lf || byte == cr {
                    line += 1
                    skipLF = byte == cr
                    state = .fieldStart
                    recordOpen = false
                }
                continue
            }
            if current.bytes.count > maxRecordBytes {
                try emit(.broken(line: current.line, reason: "record longer than \(maxRecordBytes) bytes (a quote left open?); skipped to the next line"))
                resetRecord()
                state = .skipping
            }
        }
    }

    /// Ends the input: hands out the last record (or reports the quote left open).
    mutating func finish(emit: (Event) throws -> Void) rethrows {
        if state == .quoted {
            try emit(.broken(line: current.line, reason: "quoted field not closed before the end of the input"))
            resetRecord()
            state = .fieldStart
            return
        }
        if state == .skipping { return }
        if recordOpen { try endRecord(emit) }
    }

    private mutating func endRecord(_ emit: (Event) throws -> Void) rethrows {
        current.ends.append(current.bytes.count)
        state = .fieldStart
        recordOpen = false
        if !current.isBlank { try emit(.record(current)) }
        resetRecord()
    }

    private mutating func resetRecord() {
        current.bytes.removeAll(keepingCapacity: true)
        current.ends.removeAll(keepingCapacity: true)
        recordOpen = false
    }

    /// The delimiter a header line uses: `,`, `;` or tab, whichever occurs most outside quotes.
    static func sniffDelimiter<C: Collection>(_ firstLine: C) -> UInt8 where C.Element == UInt8 {
        var counts: [UInt8: Int] = [UInt8(ascii: ","): 0, UInt8(ascii: ";"): 0, UInt8(ascii: "\t"): 0]
        var inQuotes = false
        for byte in firstLine {
            if byte == UInt8(ascii: "\"") { inQuotes.toggle() }
            else if byte == UInt8(ascii: "\n") && !inQuotes { break }
            else if !inQuotes, counts[byte] != nil { counts[byte]! += 1 }
        }
        let comma = counts[UInt8(ascii: ",")]!, semicolon = counts[UInt8(ascii: ";")]!, tab = counts[UInt8(ascii: "\t")]!
        if tab > comma && tab > semicolon { return UInt8(ascii: "\t") }
        return semicolon > comma ? UInt8(ascii: ";") : UInt8(ascii: ",")
    }
}
