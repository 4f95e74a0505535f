/// Splits raw message bytes into a tree of ``MIMEPart``s the way Python's `email.feedparser`
/// does, so that broken messages come out the same: lines end in CRLF, LF or a bare CR;
/// headers stop at the first empty line, or at the first line that cannot be a header
/// (a `MissingHeaderBodySeparator` defect, the line starts the body); a boundary line of an
/// enclosing multipart ends an inner part; a missing start boundary leaves the multipart
/// unsplit, a missing close boundary ends it at the end of the input; the newline before a
/// boundary belongs to the boundary.
struct MIMEStructureParser {
    struct Line {
        var start: Int
        var contentEnd: Int
        var end: Int
        var isEmpty: Bool { contentEnd == start }
    }

    let data: [UInt8]
    let lines: [Line]
    var defects: [MailDefect] = []
    var partCount = 0
    let maxDepth: Int
    let maxParts: Int

    init(data: [UInt8], maxDepth: Int = 32, maxParts: Int = 1000) {
        self.data = data
        self.maxDepth = maxDepth
        self.maxParts = maxParts
        var lines: [Line] = []
        var start = 0
        var i = 0
        let n = data.count
        data.withUnsafeBufferPointer { buf in
            while i < n {
                let c = buf[i]
                if c == 0x0A {
                    lines.append(Line(start: start, contentEnd: i, end: i + 1))
                    i += 1
                    start = i
                } else if c == 0x0D {
                    let end = (i + 1 < n && buf[i + 1] == 0x0A) ? i + 2 : i + 1
                    lines.append(Line(start: start, contentEnd: i, end: end))
                    i = end
                    start = i
                } else {
                    i += 1
                }
            }
        }
        if start < n { lines.append(Line(start: start, contentEnd: n, end: n)) }
        self.lines = lines
    }

    mutating func parseMessage() -> MIMEPart {
        entity(0..<lines.count, defaultType: "text/plain", depth: 0, outer: [], path: "", inMultipart: false)
    }

    // MARK: - Entities

    mutating func entity(_ range: Range<Int>, defaultType: String, depth: Int, outer: [[UInt8]], path: String, inMultipart: Bool) -> MIMEPart {
        partCount += 1
        let (headers, bodyStart) = parseHeaders(range, path: path)
        let (contentType, parameters) = Self.contentType(headers, defaultType: defaultType)
        let bodyRange = bodyStart..<max(bodyStart, range.upperBound)
        var part = MIMEPart(
            path: path, headers: headers, contentType: contentType, parameters: parameters,
            body: bytes(of: bodyRange, stripFinalNewline: inMultipart), children: [], isContainer: false
        )
        let mainType = part.mainType
        guard mainType == "multipart" || mainType == "message" else { return part }
        if depth >= maxDepth {
            defects.append(MailDefect(.tooDeep, part: path, "nesting deeper than \(maxDepth) levels is kept unparsed"))
            return part
        }
        if partCount >= maxParts {
            if partCount == maxParts {
                defects.append(MailDefect(.tooManyParts, part: path, "more than \(maxParts) MIME parts; the rest is kept unparsed"))
            }
            return part
        }
        if mainType == "message" {
            if contentType == "message/delivery-status" || contentType == "message/feedback-report" { return part }
            let child = entity(bodyRange, defaultType: "text/plain", depth: depth + 1, outer: outer,
                               path: path.isEmpty ? "1" : path + ".1", inMultipart: inMultipart)
            part.children = [child]
            part.isContainer = true
            return part
        }
        // multipart/*
        guard let rawBoundary = parameters["boundary"], !rawBoundary.isEmpty else {
            defects.append(MailDefect(.noBoundaryInMultipart, part: path, "\(contentType) without a boundary parameter"))
            return part
        }
        let cte = part.transferEncoding
        if !["", "7bit", "8bit", "binary"].contains(cte) {
            defects.append(MailDefect(.invalidMultipartContentTransferEncoding, part: path, cte))
        }
        var boundary = Array(rawBoundary.utf8)
        while let last = boundary.last, last == 0x20 || last == 0x09 { boundary.removeLast() }
        let childDefault = part.subType == "digest" ? "message/rfc822" : "text/plain"
        let inner = outer + [boundary]
        var children: [MIMEPart] = []
        var sawStart = false
        var closed = false
        var j = bodyRange.lowerBound
        let hi = bodyRange.upperBound
        scan: while j < hi {
            if outer.contains(where: { matchBoundary(lines[j], $0) != nil }) { break }
            guard let close = matchBoundary(lines[j], boundary) else { j += 1; continue }
            if close { closed = true; break }
            sawStart = true
            // Consecutive boundary lines make no empty parts.
            j += 1
            while j < hi, matchBoundary(lines[j], boundary) != nil { j += 1 }
            var k = j
            while k < hi, matchBoundary(lines[k], boundary) == nil, !outer.contains(where: { matchBoundary(lines[k], $0) != nil }) { k += 1 }
            if partCount >= maxParts {
                if partCount == maxParts {
                    partCount += 1
                    defects.append(MailDefect(.tooManyParts, part: path, "more than \(maxParts) MIME parts; the rest is dropped"))
                }
            } else {
                let childPath = path.isEmpty ? "\(children.count + 1)" : "\(path).\(children.count + 1)"
                children.append(entity(j..<k, defaultType: childDefault, depth: depth + 1, outer: inner, path: childPath, inMultipart: true))
            }
            j = k
            if j < hi, let close = matchBoundary(lines[j], boundary), close { closed = true; break scan }
        }
        if !sawStart {
            if !closed {
                defects.append(MailDefect(.startBoundaryNotFound, part: path, "no \"--\(rawBoundary)\" line"))
                return part
            }
        }
        if !closed {
            defects.append(MailDefect(.closeBoundaryNotFound, part: path, "no \"--\(rawBoundary)--\" line"))
        }
        part.children = children
        part.isContainer = true
        return part
    }

    /// nil: not a boundary line; false: a delimiter; true: the close delimiter.
    func matchBoundary(_ line: Line, _ boundary: [UInt8]) -> Bool? {
        let length = line.contentEnd - line.start
        guard length >= boundary.count + 2, data[line.start] == 0x2D, data[line.start + 1] == 0x2D else { return nil }
        var i = line.start + 2
        for b in boundary {
            if data[i] != b { return nil }
            i += 1
        }
        var close = false
        if i + 1 < line.contentEnd, data[i] == 0x2D, data[i + 1] == 0x2D {
            close = true
            i += 2
        }
        while i < line.contentEnd {
            if data[i] != 0x20 && data[i] != 0x09 { return nil }
            i += 1
        }
        return close
    }

    func bytes(of range: Range<Int>, stripFinalNewline: Bool) -> ArraySlice<UInt8> {
        guard !range.isEmpty else { return data[data.count..<data.count] }
        let start = lines[range.lowerBound].start
        let last = lines[range.upperBound - 1]
        return data[start..<(stripFinalNewline ? last.contentEnd : last.end)]
    }

    // MARK: - Headers

    /// Python's `headerRE`: `From `, a field name and a colon, or a continuation.
    func isHeaderLine(_ line: Line) -> Bool {
        let first = data[line.start]
        if first == 0x20 || first == 0x09 { return true }
        var i = line.start
        while i < line.contentEnd {
            let c = data[i]
            if c == 0x3A { return true }
            if c < 0x21 || c > 0x7E { break }
            i += 1
        }
        return startsWithFrom(line)
    }

    func startsWithFrom(_ line: Line) -> Bool {
        line.contentEnd - line.start >= 5 && data[line.start..<line.start + 5].elementsEqual("From ".utf8)
    }

    mutating func parseHeaders(_ range: Range<Int>, path: String) -> (MailHeaders, Int) {
        var headerLines: [Int] = []
        var bodyStart = range.upperBound
        var i = range.lowerBound
        while i < range.upperBound {
            let line = lines[i]
            if line.isEmpty { bodyStart = i + 1; break }
            if isHeaderLine(line) { headerLines.append(i); i += 1; continue }
            defects.append(MailDefect(.missingHeaderBodySeparator, part: path, "line \(i + 1) is neither a header nor empty"))
            bodyStart = i
            break
        }
        var fields: [HeaderField] = []
        var current: (name: String, value: [UInt8])?
        func finish() {
            if let c = current { fields.append(HeaderField(name: c.name, rawValue: c.value)) }
            current = nil
        }
        for (n, index) in headerLines.enumerated() {
            let line = lines[index]
            let first = data[line.start]
            if first == 0x20 || first == 0x09 {
                if current == nil {
                    defects.append(MailDefect(.firstHeaderLineIsContinuation, part: path, "line \(index + 1)"))
                    continue
                }
                current!.value += data[line.start..<line.contentEnd]
                continue
            }
            finish()
            if startsWithFrom(line) {
                if n == 0 { continue }  // mbox "From " envelope line
                if n == headerLines.count - 1 { bodyStart = index; break }
                defects.append(MailDefect(.misplacedEnvelopeHeader, part: path, "line \(index + 1)"))
                continue
            }
            guard let colon = data[line.start..<line.contentEnd].firstIndex(of: 0x3A), colon > line.start else {
                defects.append(MailDefect(.invalidHeader, part: path, "missing header name on line \(index + 1)"))
                continue
            }
            let name = String(decoding: data[line.start..<colon], as: UTF8.self)
            var valueStart = colon + 1
            while valueStart < line.contentEnd, data[valueStart] == 0x20 || data[valueStart] == 0x09 { valueStart += 1 }
            current = (name, Array(data[valueStart..<line.contentEnd]))
        }
        finish()
        return (MailHeaders(fields), bodyStart)
    }

    static func contentType(_ headers: MailHeaders, defaultType: String) -> (String, MIMEParameters) {
        guard let raw = headers["content-type"] else { return (defaultType, MIMEParameters("")) }
        let parameters = MIMEParameters(raw)
        var type = parameters.value.lowercased()
        if type.filter({ $0 == "/" }).count != 1 { type = "text/plain" }
        return (type, parameters)
    }
}
