import OutcryModel

extension ContactIndex {
    /// Links a mention to a contact.
    public func link(_ mention: Mention, network: SocialNetwork? = nil) -> ContactLink {
        link(LinkQuery(mention: mention, network: network))
    }

    /// Links what is known of an author to a contact.
    ///
    /// Exact identifiers come first: the sender's email, the author's handle on its network, a
    /// phone number written in the text. Without one, the author's name is compared with the
    /// names of the contacts that share a name block; a fuzzy link also needs the contact's
    /// company named (in the text or `query.company`) or the same company email domain.
    /// Two contacts equally likely give `.ambiguous`; anything that points at a contact who opted
    /// out gives `.optedOut`.
    public func link(_ query: LinkQuery) -> ContactLink {
        var hits: [(ordinal: Int32, evidence: LinkEvidence, confidence: Double, reason: String)] = []

        var queryEmail: String?
        if let raw = query.email, let email = EmailNormalizer.normalize(raw, folding: options.emailFolding) {
            queryEmail = email
            for ordinal in identifiers.values(of: IdentifierKey.hash(IdentifierKey.email, email.utf8)) {
                hits.append((ordinal, .email, 0.99, "sender email \(email)"))
            }
        }
        if let raw = query.handle {
            for handle in candidateHandles(raw, network: query.network) {
                for ordinal in identifiers.values(of: Self.handleKey(handle)) {
                    hits.append((ordinal, .handle(handle.network), 0.97, "\(handle.network.displayName) handle \(Self.display(handle))"))
                }
            }
        }
        if let text = query.text, text.utf8.contains(where: ASCII.isDigit) {
            for phone in PhoneNormalizer.numbers(inText: text, region: options.defaultRegion) {
                for ordinal in identifiers.values(of: IdentifierKey.hash(IdentifierKey.phone, phone.utf8)) {
                    hits.append((ordinal, .phone, 0.9, "phone number \(phone) in the text"))
                }
            }
        }

        if !hits.isEmpty {
            if hits.contains(where: { entries[Int($0.ordinal)].optedOut }) { return .optedOut }
            var byContact: [Int32: (missing: Double, evidence: [LinkEvidence], reasons: [String])] = [:]
            for hit in hits {
                var current = byContact[hit.ordinal] ?? (1, [], [])
                if current.evidence.contains(hit.evidence) { continue }
                current.missing *= 1 - hit.confidence
                current.evidence.append(hit.evidence)
                current.reasons.append(hit.reason)
                byContact[hit.ordinal] = current
            }
            let candidates = byContact.map { ordinal, value in
                let contact = ref(Int(ordinal))
                return LinkCandidate(contact: contact, confidence: 1 - value.missing, evidence: value.evidence,
                                     reason: value.reasons.joined(separator: " and ") + " \(value.reasons.count == 1 ? "is" : "are") on \(contact.name)'s record")
            }
            return decide(candidates, requireThreshold: false)
        }

        guard let rawName = query.name else { return .unlinked(candidates: []) }
        return fuzzy(name: rawName, query: query, email: queryEmail)
    }

    private func fuzzy(name rawName: String, query: LinkQuery, email: String?) -> ContactLink {
        // The display form once: the tokens are made from it too.
        let display = NameNormalizer.display(rawName)
        let tokens = NameNormalizer.tokens(ofDisplay: display ?? "")
        guard tokens.count >= 2 else { return .unlinked(candidates: []) }
        // The places the author may work at: given, named in the text, or the sender's company domain.
        var companies: [String] = []
        if let company = query.company.flatMap(CompanyNormalizer.key) { companies.append(company) }
        if let text = query.text, !companyKeys.isEmpty {
            for company in self.companies(inText: text) where !companies.contains(company) { companies.append(company) }
        }
        let queryDomain = email.flatMap(EmailNormalizer.domain(of:)).map(String.init).flatMap { EmailNormalizer.isFreeMailDomain($0) ? nil : $0 }

        let queryTokens = tokens.map { Array($0.utf8) }
        let displayName = display ?? rawName

        // Only a name with a company can pass the threshold, so the people with that name token at
        // those companies are scored first; they are few.
        var ordinals: [Int32] = []
        for place in companies + (queryDomain.map { ["@" + $0] } ?? []) {
            for token in tokens where token.utf8.count >= 2 {
                let range = companyBlocks.range(of: Self.companyBlockKey(token: token, place: place))
                if range.count <= options.maxBlockSize * 8 { ordinals.append(contentsOf: companyBlocks.values[range]) }
            }
        }
        var candidates = score(ordinals, queryTokens: queryTokens, queryKey: tokens.joined(separator: " "), displayName: displayName, companies: companies,
                               givenCompany: query.company != nil, domain: queryDomain)
        if candidates.contains(where: { $0.confidence >= options.linkThreshold }) {
            return decide(candidates, requireThreshold: true)
        }
        // No link: list the closest people by name alone, from name blocks small enough to mean something.
        ordinals = []
        for key in Self.blockKeys(tokens) {
            let range = nameBlocks.range(of: key)
            if range.count <= options.maxBlockSize { ordinals.append(contentsOf: nameBlocks.values[range]) }
        }
        let scored = Set(candidates.map { Int32($0.contact.ordinal) })
        candidates += score(ordinals.filter { !scored.contains($0) }, queryTokens: queryTokens, queryKey: tokens.joined(separator: " "), displayName: displayName, companies: companies,
                            givenCompany: query.company != nil, domain: queryDomain)
        return decide(candidates, requireThreshold: true)
    }

    /// Scores contacts by name similarity and what corroborates it (each ordinal once).
    private func score(_ found: [Int32], queryTokens: [[UInt8]], queryKey: String, displayName: String, companies: [String], givenCompany: Bool,
                       domain queryDomain: String?) -> [LinkCandidate] {
        var ordinals = found
        ordinals.sort()
        var candidates: [LinkCandidate] = []
        var previous: Int32 = -1
        for ordinal in ordinals where ordinal != previous {
            previous = ordinal
            let entry = entries[Int(ordinal)]
            if entry.optedOut { continue }
            let similarity = entry.nameKey == queryKey ? 1
                : NameSimilarity.score(bytes: queryTokens, entry.nameKey.utf8.split(separator: UInt8(ascii: " ")).map(Array.init))
            if similarity < 0.75 { continue }
            var corroboration: String?
            if let company = entry.companyKey, companies.contains(company) {
                corroboration = company == companies.first && givenCompany
                    ? "the company \(company) is known for the author" : "the company \"\(company)\" is named in the text"
            } else if let domain = entry.domain, domain == queryDomain {
                corroboration = "the sender writes from the company domain \(domain)"
            }
            let nameWords = similarity >= 0.999 ? "name \"\(displayName)\" is \(entry.name)'s"
                : "name \"\(displayName)\" is like \(entry.name) (\(Int((similarity * 100).rounded()))% similar)"
            let confidence = similarity * (corroboration == nil ? 0.7 : 0.97)
            let reason = corroboration.map { "\(nameWords) and \($0)" } ?? "\(nameWords), but nothing else confirms it"
            candidates.append(LinkCandidate(contact: ref(Int(ordinal)), confidence: confidence, evidence: [.name], reason: reason))
        }
        return candidates
    }

    /// Linked, ambiguous or unlinked, from scored candidates.
    private func decide(_ scored: [LinkCandidate], requireThreshold: Bool) -> ContactLink {
        let candidates = scored.sorted {
            $0.confidence != $1.confidence ? $0.confidence > $1.confidence : $0.contact.ordinal < $1.contact.ordinal
        }
        guard let best = candidates.first else { return .unlinked(candidates: []) }
        let limited = Array(candidates.prefix(options.maxCandidates))
        if requireThreshold && best.confidence < options.linkThreshold { return .unlinked(candidates: limited) }
        let tied = candidates.filter { best.confidence - $0.confidence < options.ambiguityMargin }
        if tied.count > 1 { return .ambiguous(Array(tied.prefix(max(2, options.maxCandidates)))) }
        return .linked(best)
    }

    /// The handles a raw handle may be: on its given or evident network, else on each network
    /// where it is valid.
    private func candidateHandles(_ raw: String, network: SocialNetwork?) -> [SocialHandle] {
        if let handle = HandleNormalizer.normalize(raw, network: network) { return [handle] }
        guard network == nil else { return [] }
        return SocialNetwork.allCases.compactMap { HandleNormalizer.normalize(raw, network: $0) }
    }

    static func display(_ handle: SocialHandle) -> String {
        switch handle.network {
        case .reddit: "u/" + handle.handle
        default: "@" + handle.handle
        }
    }
}
