import Foundation
import OutcryModel
import SQLKit

/// Replaces identifiers of a person (e-mail addresses, phone numbers, handles, the name) in
/// any text, ignoring case, whole words only (so the handle `ada` leaves "Canada" alone).
struct IdentifierScrubber: Sendable {
    let literals: [String]
    let marker: String
    private let pattern: NSRegularExpressionBox?

    init(literals: [String], marker: String) {
        var seen = Set<String>()
        // Longest first, so an address is replaced whole before a handle inside it.
        self.literals = literals.map { $0.trimmingCharacters(in: .whitespaces) }.filter { $0.count >= 3 && seen.insert($0.lowercased()).inserted }
            .sorted { $0.count > $1.count }
        self.marker = marker
        if self.literals.isEmpty {
            pattern = nil
        } else {
            let alternatives = self.literals.map { literal in
                // Runs of spaces in a name match any run of whitespace.
                NSRegularExpression.escapedPattern(for: literal).replacingOccurrences(of: " ", with: #"\s+"#)
            }
            pattern = NSRegularExpressionBox(
                #"(?<![\p{L}\p{N}_])(?:"# + alternatives.joined(separator: "|") + #")(?![\p{L}\p{N}_])"#)
        }
    }

    /// The lowercased literals, for `INSTR(LOWER(column), ?)` pre-filters in SQL.
    var lowercased: [String] { literals.map { $0.lowercased() } }

    func scrub(_ text: String) -> String {
        guard let pattern else { return text }
        let range = NSRange(location: 0, length: (text as NSString).length)
        guard pattern.regex.firstMatch(in: text, range: range) != nil else { return text }
        return pattern.regex.stringByReplacingMatches(in: text, range: range, withTemplate: NSRegularExpression.escapedTemplate(for: marker))
    }

    func scrub(_ text: String?) -> String? { text.map(scrub) }
}

struct NSRegularExpressionBox: @unchecked Sendable {
    let regex: NSRegularExpression

    init?(_ pattern: String) {
        guard let regex = try? NSRegularExpression(pattern: pattern, options: [.caseInsensitive]) else { return nil }
        self.regex = regex
    }
}

/// Rewrites a stored notification payload (the outbox's JSON): every alert object of one of
/// `threads` loses its title, excerpt, summary, URL, the evidence of its reasons and its
/// contact's name and basis (scores, severity and ids stay); every other string is passed
/// through the scrubber. Payloads that are not JSON are scrubbed as text.
enum PayloadScrubber {
    static let textKeys: Set<String> = ["title", "excerpt", "summary", "headline"]

    static func scrub(_ payload: String, threads: Set<ThreadID>, scrubber: IdentifierScrubber, marker: String) -> String {
        guard let data = payload.data(using: .utf8),
              let value = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) else {
            return scrubber.scrub(payload)
        }
        let cleaned = walk(value, threads: threads, scrubber: scrubber, marker: marker, inThread: false)
        guard let out = try? JSONSerialization.data(withJSONObject: cleaned, options: [.sortedKeys, .withoutEscapingSlashes, .fragmentsAllowed]) else {
            return scrubber.scrub(payload)
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func threadID(_ value: Any?) -> ThreadID? {
        switch value {
        case let s as String: ThreadID(s)
        case let n as Int: ThreadID(Int64(n))
        case let n as Int64: ThreadID(n)
        // (Not `where !(n is Bool)`: on Linux an NSNumber 1 also casts to Bool.)
        case let n as NSNumber: ThreadID(n.int64Value)
        default: nil
        }
    }

    static func walk(_ value: Any, threads: Set<ThreadID>, scrubber: IdentifierScrubber, marker: String, inThread: Bool) -> Any {
        switch value {
        case let object as [String: Any]:
            let mine = threadID(object["threadID"]).map(threads.contains) ?? false
            let erase = inThread || mine
            var out: [String: Any] = [:]
            for (key, child) in object {
                if erase, textKeys.contains(key), child is String {
                    out[key] = marker
                } else if mine, key == "url", child is String {
                    out[key] = NSNull()
                } else if erase, key == "evidence", child is String {
                    out[key] = ""
                } else if erase, key == "contact", var contact = child as? [String: Any] {
                    if contact["name"] is String { contact["name"] = marker }
                    if contact["basis"] is String { contact["basis"] = marker }
                    out[key] = contact
                } else {
                    out[key] = walk(child, threads: threads, scrubber: scrubber, marker: marker, inThread: erase)
                }
            }
            return out
        case let array as [Any]:
            return array.map { walk($0, threads: threads, scrubber: scrubber, marker: marker, inThread: inThread) }
        case let text as String:
            return scrubber.scrub(text)
        default:
            return value
        }
    }
}

extension Store {
    /// Reasons with the evidence (the words quoted from the text) removed; rule and weight stay.
    static func reasonsWithoutEvidence(_ json: String) -> String {
        guard let reasons = try? CanonicalJSON.decode([Reason].self, json) else { return "[]" }
        return (try? CanonicalJSON.encode(reasons.map { Reason(rule: $0.rule, evidence: "", weight: $0.weight) })) ?? "[]"
    }

    /// Blanks the evidence of the reasons of these mentions (their scores stay).
    func dropReasonEvidence(mentionIDs: [MentionID]) async throws {
        for chunk in mentionIDs.chunked(400) {
            for row in try await sql.raw("SELECT id, reasons FROM mentions WHERE id IN (\(binds: Array(chunk)))").all() {
                let id = try row.decode(column: "id", as: Int64.self)
                let reasons = try row.decode(column: "reasons", as: String.self)
                let cleaned = Self.reasonsWithoutEvidence(reasons)
                if cleaned != reasons { try await sql.raw("UPDATE mentions SET reasons = \(bind: cleaned) WHERE id = \(bind: id)").run() }
            }
        }
    }

    /// Rewrites every outbox row (pending, sent or dead, routed or not, repeats included) that
    /// concerns one of `threads` or names one of the scrubber's identifiers.
    func scrubOutbox(threads: Set<ThreadID>, scrubber: IdentifierScrubber, marker: String) async throws -> Int {
        var ids = Set<Int64>()
        let threadList = Array(threads)
        for chunk in threadList.chunked(400) {
            for row in try await sql.raw("SELECT id FROM outbox WHERE thread_id IN (\(binds: Array(chunk)))").all() {
                ids.insert(try row.decode(column: "id", as: Int64.self))
            }
        }
        // Group notifications and repeats carry other threads' alerts: look inside the payloads.
        var needles = scrubber.lowercased
        for id in threadList { needles += ["\"threadid\":\"\(id)\"", "\"threadid\":\(id),", "\"threadid\":\(id)}"] }
        for chunk in needles.chunked(200) {
            var query: SQLQueryString = "SELECT id FROM outbox WHERE false"
            for needle in chunk {
                appendContains(&query, "LOWER(payload)", needle)
                appendContains(&query, "LOWER(COALESCE(last_error, ''))", needle)
            }
            for row in try await sql.raw(query).all() { ids.insert(try row.decode(column: "id", as: Int64.self)) }
        }
        var changed = 0
        for chunk in ids.sorted().chunked(400) {
            for row in try await sql.raw("SELECT id, payload, last_error FROM outbox WHERE id IN (\(binds: Array(chunk)))").all() {
                let id = try row.decode(column: "id", as: Int64.self)
                let payload = try row.decode(column: "payload", as: String.self)
                let lastError = try row.decode(column: "last_error", as: String?.self)
                let newPayload = PayloadScrubber.scrub(payload, threads: threads, scrubber: scrubber, marker: marker)
                let newError = scrubber.scrub(lastError)
                guard newPayload != payload || newError != lastError else { continue }
                try await sql.raw("UPDATE outbox SET payload = \(bind: newPayload), last_error = \(bind: newError) WHERE id = \(bind: id)").run()
                changed += 1
            }
        }
        return changed
    }

    /// Replaces the scrubber's identifiers, case-insensitively, wherever text is kept: mentions,
    /// threads, events, thread notes, link reasons, mail records, quarantine, crises, audit.
    func scrubIdentifiers(_ scrubber: IdentifierScrubber) async throws {
        let targets: [(table: String, key: String, columns: [String])] = [
            ("mentions", "id", ["text", "title", "html", "url", "author_name", "author_handle", "author_email", "reasons"]),
            ("threads", "id", ["title", "summary", "author_name", "author_handle"]),
            ("events", "id", ["detail"]),
            ("thread_events", "id", ["note"]),
            ("mention_links", "mention_id", ["reason"]),
            ("mail_messages", "mention_id", ["sender", "subject_key", "kind_reason"]),
            ("quarantine", "id", ["message_id", "reason"]),
            ("crises", "id", ["summary", "top_terms"]),
            ("audit", "id", ["detail"]),
            // Bulk labels carry their own text, which may quote the person.
            ("labels", "id", ["text"]),
        ]
        guard !scrubber.literals.isEmpty else { return }
        for target in targets {
            var query: SQLQueryString = "SELECT \(unsafeRaw: target.key) AS k, \(unsafeRaw: target.columns.joined(separator: ", ")) FROM \(unsafeRaw: target.table) WHERE false"
            for needle in scrubber.lowercased {
                for column in target.columns {
                    appendContains(&query, "LOWER(COALESCE(\(column), ''))", needle)
                }
            }
            for row in try await sql.raw(query).all() {
                let key = try row.decode(column: "k", as: Int64.self)
                var update: SQLQueryString = "UPDATE \(unsafeRaw: target.table) SET "
                var changed = false
                for column in target.columns {
                    guard let before = try row.decode(column: column, as: String?.self) else { continue }
                    var after = scrubber.scrub(before)
                    // JSON columns stay JSON: the marker has no characters that need escaping.
                    if column == "url", after != before { after = scrubber.marker }
                    guard after != before else { continue }
                    if changed { update.appendInterpolation(unsafeRaw: ", ") }
                    update.appendInterpolation(unsafeRaw: "\(column) = ")
                    update.appendInterpolation(bind: after)
                    changed = true
                }
                guard changed else { continue }
                update.appendInterpolation(unsafeRaw: " WHERE \(target.key) = ")
                update.appendInterpolation(bind: key)
                try await sql.raw(update).run()
            }
        }
    }

    /// Events and notes of threads whose content is erased or purged: the details quote the
    /// customer (thread.opened carries the score summary; alert.folded the title).
    func scrubThreadHistory(_ threads: Set<ThreadID>, marker: String) async throws {
        for chunk in Array(threads).chunked(400) {
            try await sql.raw("UPDATE events SET detail = \(bind: marker) WHERE thread_id IN (\(binds: Array(chunk))) AND detail <> ''").run()
            try await sql.raw("UPDATE thread_events SET note = NULL WHERE thread_id IN (\(binds: Array(chunk))) AND note IS NOT NULL").run()
        }
        // "new_thread:<thread>:<key> folded into the crisis of <brand>: <title>" has no thread_id.
        for row in try await sql.raw("SELECT id, detail FROM events WHERE kind = 'alert.folded'").all() {
            let detail = try row.decode(column: "detail", as: String.self)
            let parts = detail.split(separator: ":", maxSplits: 2)
            guard parts.count >= 2, let thread = ThreadID(String(parts[1])), threads.contains(thread) else { continue }
            try await sql.raw("UPDATE events SET detail = \(bind: marker) WHERE id = \(bind: try row.decode(column: "id", as: Int64.self))").run()
        }
    }
}

extension Store {
    /// Appends ` OR <needle found in haystack>` in the database's spelling, the needle bound.
    func appendContains(_ query: inout SQLQueryString, _ haystack: String, _ needle: String) {
        let marker = "\u{1}"
        let parts = dialect.position(of: marker, in: haystack).components(separatedBy: marker)
        query.appendInterpolation(unsafeRaw: " OR " + parts[0])
        query.appendInterpolation(bind: needle)
        query.appendInterpolation(unsafeRaw: parts[1] + " > 0")
    }
}
