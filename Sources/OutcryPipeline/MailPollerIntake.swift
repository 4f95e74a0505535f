import Foundation
import OutcryModel
import OutcryParse
import OutcryScoring
import OutcryStore

/// Turns the bytes of one message into what the store keeps: a mail with its role (a
/// customer's mail is scored by the enrich step, with the feeds' ``MentionEnricher``), or a
/// reason to quarantine it.
struct MailIntake {
    let sourceName: String
    let options: MailboxOptions

    enum Outcome {
        case mail(MailItem)
        case quarantine(reason: String, messageID: String?)
    }

    func read(_ bytes: [UInt8], folder: String, messageRef: String, inSentFolder: Bool, now: Date) -> Outcome {
        let parsed = MailParser.parse(bytes)
        if parsed.from == nil && parsed.text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            return .quarantine(reason: "unreadable: no sender and no text (\(bytes.count) bytes)", messageID: parsed.messageID)
        }
        let mention = parsed.mention(sourceName: sourceName, fetchedAt: now)
        let sender = parsed.from?.email.lowercased()
        let role: MailRole
        let reason: String?
        // A response is mail in the sent folder, or own-address mail that the trusted receiving
        // server authenticated; a From header alone is not believed (anyone can write one).
        var note: String?
        if options.ownAddresses.contains(sender), !inSentFolder, let sender {
            let domain = sender.split(separator: "@").last.map(String.init) ?? ""
            if let how = MailAuthentication.verify(fields: parsed.headers.all("Authentication-Results"), fromDomain: domain,
                                                   own: options.ownAddresses, trusted: options.trustedAuthservIDs) {
                note = "from own address \(sender), authenticated: \(how)"
            } else {
                note = "From claims own address \(sender) but no trusted Authentication-Results (dkim=pass or spf=pass for an own domain"
                    + (options.trustedAuthservIDs.isEmpty ? ", and no `trusted_authserv_id` is set" : " by \(options.trustedAuthservIDs.sorted().joined(separator: ", "))")
                    + ") vouch for it: stored as a customer's message"
            }
        }
        if inSentFolder {
            (role, reason) = (.response, "in the sent folder \(folder)")
        } else if let note, note.hasPrefix("from own address") {
            (role, reason) = (.response, note)
        } else {
            switch parsed.kind {
            case .customer: (role, reason) = (.customer, note)
            case .autoReply: (role, reason) = (.autoReply, parsed.kindReason)
            case .bounce: (role, reason) = (.bounce, parsed.kindReason)
            case .feedbackReport: (role, reason) = (.feedbackReport, parsed.kindReason)
            case .list: (role, reason) = (.list, parsed.kindReason)
            }
        }
        let score = role == .customer ? Self.awaitingEnrichment : Self.unscored(role: role, reason: reason)
        let correspondents: [String]
        if role == .response {
            correspondents = (parsed.to + parsed.cc).map { $0.email.lowercased() }.filter { !$0.isEmpty && !options.ownAddresses.contains($0) }
        } else {
            correspondents = sender.map { [$0] } ?? []
        }
        return .mail(MailItem(
            scored: ScoredMention(mention: mention, score: score), role: role, roleReason: reason, folder: folder,
            messageRef: messageRef, correspondents: correspondents, subjectKey: MailSubject.key(parsed.subject)))
    }

    /// A customer's mail until the enrich step scores it (every batch goes through it before its commit).
    static let awaitingEnrichment = Score(
        sentiment: Sentiment(compound: 0, label: .neutral, scored: false), complaint: ComplaintIntent(isComplaint: false, score: 0),
        urgency: [], severity: .none, reasons: [])

    /// Automatic mail and the team's own responses are not scored as complaints; the reason says why.
    static func unscored(role: MailRole, reason: String?) -> Score {
        let why = role == .response ? "a response from the team" : "not a customer's mail: \(role.rawValue)"
        return Score(
            sentiment: Sentiment(compound: 0, label: .neutral, scored: false), complaint: ComplaintIntent(isComplaint: false, score: 0),
            urgency: [], severity: .none,
            reasons: [Reason(rule: "mail.\(role.rawValue)", evidence: why + (reason.map { " (\($0))" } ?? ""), weight: 0)])
    }
}

/// The subject two mails of one conversation share: without `Re:`, `Fwd:`, `AW:`, `TR:` and
/// similar prefixes (also `Re[2]:`), lowercased, spaces collapsed.
enum MailSubject {
    static let prefixes: Set<String> = ["re", "fw", "fwd", "aw", "wg", "tr", "sv", "vs", "antw", "odp", "rif", "rv", "enc", "res"]

    static func key(_ subject: String?) -> String {
        var s = Substring((subject ?? "").lowercased())
        while true {
            s = s.drop { $0.isWhitespace }
            guard let colon = s.firstIndex(where: { $0 == ":" || $0 == "：" }) else { break }
            var word = s[..<colon].trimmingCharacters(in: .whitespaces)
            if word.hasSuffix("]"), let open = word.lastIndex(of: "["), word[word.index(after: open)..<word.index(before: word.endIndex)].allSatisfy(\.isNumber) {
                word = String(word[..<open])
            } else if word.hasSuffix(")"), let open = word.lastIndex(of: "("), word[word.index(after: open)..<word.index(before: word.endIndex)].allSatisfy(\.isNumber) {
                word = String(word[..<open])
            }
            guard prefixes.contains(word) else { break }
            s = s[s.index(after: colon)...]
        }
        return s.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }
}
