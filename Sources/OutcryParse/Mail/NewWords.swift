/// Finds what the sender actually wrote in a reply: the text without quoted history
/// (`>` lines, "On … wrote:" attributions, Outlook's "-----Original Message-----" and
/// "From: … Sent: …" blocks, forwarded-message markers — in English, German, French,
/// Spanish, Dutch, Italian, Portuguese, Swedish), without a signature (after `-- `) or a
/// closing sign-off with the name under it, and without "Sent from my iPhone" lines.
///
/// When nothing is left (a bare forward), the whole text is returned: then the forwarded
/// content is what there is to read.
///
/// ```swift
/// NewWords.extract(from: "Still broken!\n\nOn Mon, 1 Jan 2024, Support <s@x.com> wrote:\n> Fixed.")
/// // "Still broken!"
/// ```
public enum NewWords {
    public static func extract(from text: String) -> String {
        var lines = text.replacingNewlines().split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        // 1. History that runs to the end: separators, Outlook header blocks, attributions
        //    followed by quotes only, signatures.
        if let cut = historyStart(lines) { lines.removeSubrange(cut...) }
        // 2. Quoted lines and the attributions in front of them, wherever they are (inline replies).
        var kept: [String] = []
        var i = 0
        while i < lines.count {
            let line = lines[i]
            let trimmed = line.trimmingMailSpace()
            if trimmed.hasPrefix(">") { i += 1; continue }
            if isAttribution(trimmed) { i += 1; continue }
            if i + 1 < lines.count, isAttribution(trimmed + " " + lines[i + 1].trimmingMailSpace()), !trimmed.isEmpty {
                i += 2
                continue
            }
            if isMobileFooter(trimmed) { i += 1; continue }
            kept.append(line)
            i += 1
        }
        // 3. A sign-off ("Thanks,", "Mit freundlichen Grüßen") followed by a few short lines.
        if let signOff = signOffStart(kept) { kept.removeSubrange(signOff...) }
        let result = tidy(kept)
        return result.isEmpty ? tidy(text.replacingNewlines().split(separator: "\n", omittingEmptySubsequences: false).map(String.init)) : result
    }

    static func tidy(_ lines: [String]) -> String {
        var out: [String] = []
        var blank = 0
        for line in lines {
            var l = Substring(line)
            while l.last == " " || l.last == "\t" { l.removeLast() }
            if l.isEmpty {
                blank += 1
                if blank > 1 || out.isEmpty { continue }
            } else {
                blank = 0
            }
            out.append(String(l))
        }
        while out.last?.isEmpty == true { out.removeLast() }
        return out.joined(separator: "\n")
    }

    // MARK: - History

    static let separators = [
        "-----original message-----", "----- original message -----", "-------- original message --------",
        "---------- forwarded message ---------", "---------- forwarded message ----------",
        "-------- forwarded message --------", "begin forwarded message:",
        "-----ursprüngliche nachricht-----", "----- ursprüngliche nachricht -----", "---------- weitergeleitete nachricht ----------",
        "anfang der weitergeleiteten nachricht:",
        "-----message d'origine-----", "----- message d'origine -----", "-------- message original --------",
        "début du message réexpédié :", "début du message transféré :", "---------- message transféré ---------",
        "-----mensaje original-----", "----- mensaje original -----", "---------- mensaje reenviado ---------",
        "inicio del mensaje reenviado:",
        "-----oorspronkelijk bericht-----", "----- oorspronkelijk bericht -----", "---------- doorgestuurd bericht ---------",
        "begin doorgestuurd bericht:",
        "-----messaggio originale-----", "-----mensagem original-----", "-----ursprungligt meddelande-----",
    ]

    static let headerFrom = ["from:", "von:", "de:", "de :", "van:", "da:", "från:"]
    static let headerSent = ["sent:", "date:", "gesendet:", "datum:", "envoyé :", "envoyé:", "date :", "enviado:", "fecha:",
                             "verzonden:", "verstuurd:", "inviato:", "data:", "skickat:"]
    static let headerOther = ["to:", "subject:", "an:", "betreff:", "à :", "à:", "objet :", "objet:", "para:", "asunto:",
                              "aan:", "onderwerp:", "a:", "oggetto:", "assunto:", "till:", "ämne:", "cc:"]

    static func historyStart(_ lines: [String]) -> Int? {
        for (i, raw) in lines.enumerated() {
            let line = raw.trimmingMailSpace()
            let lower = stripMarkup(line).lowercased()
            if lower.isEmpty { continue }
            if separators.contains(where: { lower.hasPrefix($0) }) { return i }
            if line == "--" || raw == "-- " || line == "—" { return i }
            if lower.hasPrefix("________________"), i + 1 < lines.count, isOutlookBlock(lines, from: i + 1) || isOutlookBlock(lines, from: i + 2) {
                return i
            }
            if isOutlookBlock(lines, from: i) { return i }
            // An attribution followed (after blank lines) by quoted lines only.
            if isAttribution(line) || (i + 1 < lines.count && isAttribution(line + " " + lines[i + 1].trimmingMailSpace())) {
                let rest = lines[(i + 1)...].map { $0.trimmingMailSpace() }.filter { !$0.isEmpty }
                if rest.dropFirst(isAttribution(line) ? 0 : 1).allSatisfy({ $0.hasPrefix(">") }) { return i }
            }
        }
        return nil
    }

    /// "From: …" then, within the next four lines, "Sent:/Date: …" and "To:/Subject: …".
    static func isOutlookBlock(_ lines: [String], from start: Int) -> Bool {
        guard start < lines.count else { return false }
        let first = stripMarkup(lines[start].trimmingMailSpace()).lowercased()
        guard headerFrom.contains(where: { first.hasPrefix($0) }) else { return false }
        var sawSent = false
        var sawOther = false
        for line in lines[(start + 1)..<min(lines.count, start + 6)] {
            let l = stripMarkup(line.trimmingMailSpace()).lowercased()
            if headerSent.contains(where: { l.hasPrefix($0) }) { sawSent = true }
            if headerOther.contains(where: { l.hasPrefix($0) }) { sawOther = true }
        }
        return sawSent && sawOther
    }

    static func stripMarkup(_ s: String) -> String {
        var t = Substring(s)
        while let c = t.first, c == "*" || c == ">" || c == " " { t.removeFirst() }
        return String(t).replacingOccurrencesOfStar()
    }

    /// The verbs of "… wrote:" lines; the line ends with a colon, the name may follow the verb
    /// ("Am … schrieb Anne <a@x.de>:").
    static let attributionVerbs = [" wrote", " writes", " schrieb", " a écrit", " a ecrit", " escribió", " escribio",
                                   " schreef", " ha scritto", " escreveu", " skrev", " kirjoitti", " napisał"]
    static let attributionStarts = ["on ", "am ", "le ", "el ", "op ", "il ", "em ", "den ", "quoting ", "zitat von "]

    static func isAttribution(_ line: String) -> Bool {
        guard line.count < 300, line.hasSuffix(":") else { return false }
        let lower = line.lowercased()
        guard let verb = attributionVerbs.first(where: { lower.contains($0) }) else { return false }
        if attributionStarts.contains(where: { lower.hasPrefix($0) }) { return true }
        // "Anne Person <anne@example.com> wrote:" — only when the verb ends the line.
        return lower.hasSuffix(verb + ":") && (lower.contains("@") || lower.contains("<"))
    }

    // MARK: - Signatures

    static let mobileFooters = [
        "sent from my iphone", "sent from my ipad", "sent from my android", "sent from my samsung", "sent from my mobile",
        "sent from my phone", "sent from my blackberry", "sent from mail for windows", "sent from outlook", "get outlook for",
        "sent from yahoo mail", "sent via ", "von meinem iphone gesendet", "von meinem ipad gesendet", "gesendet von meinem",
        "envoyé de mon iphone", "envoyé de mon ipad", "envoyé depuis mon", "enviado desde mi iphone", "enviado desde mi",
        "verzonden vanaf mijn iphone", "verzonden met mijn", "verstuurd vanaf mijn", "inviato da iphone", "inviato dal mio",
        "enviado do meu",
    ]

    static func isMobileFooter(_ line: String) -> Bool {
        let lower = line.lowercased()
        return line.count < 80 && mobileFooters.contains { lower.hasPrefix($0) }
    }

    static let signOffs = [
        "thanks", "thank you", "thanks in advance", "thanks again", "many thanks", "cheers", "regards", "best regards",
        "kind regards", "warm regards", "best", "best wishes", "all the best", "sincerely", "yours sincerely",
        "yours truly", "yours", "respectfully", "br", "rgds", "talk soon",
        "mit freundlichen grüßen", "mit freundlichen grüssen", "freundliche grüße", "viele grüße", "beste grüße",
        "liebe grüße", "schöne grüße", "grüße", "gruß", "mfg", "lg", "vg", "danke",
        "cordialement", "bien cordialement", "bien à vous", "salutations", "meilleures salutations", "merci",
        "merci d'avance", "bonne journée", "amicalement",
        "saludos", "un saludo", "saludos cordiales", "atentamente", "gracias", "muchas gracias", "un cordial saludo",
        "met vriendelijke groet", "met vriendelijke groeten", "vriendelijke groet", "groeten", "groet", "bedankt",
        "hartelijke groet", "cordiali saluti", "distinti saluti", "saluti", "grazie", "atenciosamente", "obrigado",
    ]

    /// The line of a closing sign-off, when only a few short lines (name, title, phone)
    /// follow it and something precedes it.
    static func signOffStart(_ lines: [String]) -> Int? {
        let nonEmpty = lines.indices.filter { !lines[$0].trimmingMailSpace().isEmpty }
        guard nonEmpty.count >= 2 else { return nil }
        for index in nonEmpty.suffix(6) where index != nonEmpty.first {
            let line = lines[index].trimmingMailSpace()
            guard line.count <= 60, isSignOff(line) else { continue }
            let after = nonEmpty.filter { $0 > index }
            if after.count <= 5, after.allSatisfy({ lines[$0].trimmingMailSpace().count <= 60 }) { return index }
        }
        return nil
    }

    static func isSignOff(_ line: String) -> Bool {
        var lower = line.lowercased()
        while let last = lower.last, ",.!:;- ".contains(last) { lower.removeLast() }
        if signOffs.contains(lower) { return true }
        // "Thanks, Anne" / "Cheers Bob": the sign-off and a short name on one line.
        for phrase in signOffs where lower.hasPrefix(phrase) {
            let rest = lower.dropFirst(phrase.count)
            guard let first = rest.first, first == "," || first == " " else { continue }
            let name = rest.drop { $0 == "," || $0 == " " }
            if !name.isEmpty, name.split(separator: " ").count <= 3, name.count <= 30, !name.contains(".") { return true }
        }
        return false
    }
}

extension String {
    fileprivate func replacingOccurrencesOfStar() -> String {
        guard contains("*") else { return self }
        return String(filter { $0 != "*" })
    }
}
