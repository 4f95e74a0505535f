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
            for handle in HandleNormalizer.candidates(raw, network: query.network) {
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
            return decide(candidates, requireThreshold: false, confidence: \.confidence, ordinal: \.contact.ordinal) { $0 }
        }

        guard let rawName = query.name else { return .unlinked(candidates: []) }
        return fuzzy(name: rawName, query: query, email: queryEmail)
    }

    /// A contact scored by name, before it is put in words: only the few candidates an answer
    /// shows get a reason (most scored contacts are dropped).
    private struct NameMatch {
        var ordinal: Int32
        var similarity: Double
        var corroboration: Corroboration?
        var confidence: Double { similarity * (corroboration == nil ? 0.7 : 0.97) }
    }

    private enum Corroboration {
        case givenCompany(String), namedCompany(String), domain(String)
    }

    private func fuzzy(name rawName: String, query: LinkQuery, email: String?) -> ContactLink {
        // The author's name as shown in reasons: made only when a candidate is shown, unless
        // the tokens need it anyway (a name that is not plain ASCII words).
        var shownName: String?
        let tokens: [String]
        if NameNormalizer.isPlainWords(rawName) {
            tokens = NameNormalizer.tokens(ofPlain: rawName)
        } else {
            let display = NameNormalizer.display(rawName)
            shownName = display ?? rawName
            tokens = NameNormalizer.tokens(ofDisplay: display ?? "")
        }
        guard tokens.count >= 2 else { return .unlinked(candidates: []) }
        // The places the author may work at: given, named in the text, or the sender's company domain.
        var companies: [String] = []
        if let company = query.company.flatMap(CompanyNormalizer.key) { companies.append(company) }
        if let text = query.text, !storage.companyKeys.isEmpty {
            for company in self.companies(inText: text) where !companies.contains(company) { companies.append(company) }
        }
        let queryDomain = email.flatMap(EmailNormalizer.domain(of:)).map(String.init).flatMap { EmailNormalizer.isFreeMailDomain($0) ? nil : $0 }
        let givenCompany = query.company != nil
        var queryKey = tokens.joined(separator: " ")

        let matches = queryKey.withUTF8 { key in
            NameSimilarity.withTokens(of: key) { queryTokens -> [NameMatch] in
                // Only a name with a company can pass the threshold, so the people with that name
                // token at those companies are scored first; they are few.
                var ordinals: [Int32] = []
                for place in companies + (queryDomain.map { ["@" + $0] } ?? []) {
                    for token in tokens where token.utf8.count >= 2 {
                        let range = companyBlocks.range(of: Self.companyBlockKey(token: token, place: place))
                        if range.count <= options.maxBlockSize * 8 { ordinals.append(contentsOf: companyBlocks.values[range]) }
                    }
                }
                var matches = score(ordinals, key: key, queryTokens: queryTokens, companies: companies, givenCompany: givenCompany,
                                    domain: queryDomain)
                if matches.contains(where: { $0.confidence >= options.linkThreshold }) { return matches }
                // No link: list the closest people by name alone, from name blocks small enough to mean something.
                ordinals = []
                for blockKey in Self.blockKeys(tokens) {
                    let range = nameBlocks.range(of: blockKey)
                    if range.count <= options.maxBlockSize { ordinals.append(contentsOf: nameBlocks.values[range]) }
                }
                let scored = Set(matches.map(\.ordinal))
                matches += score(ordinals.filter { !scored.contains($0) }, key: key, queryTokens: queryTokens, companies: companies,
                                 givenCompany: givenCompany, domain: queryDomain)
                return matches
            }
        }
        return decide(matches, requireThreshold: true, confidence: \.confidence, ordinal: { Int($0.ordinal) }) { match in
            if shownName == nil { shownName = NameNormalizer.display(rawName) ?? rawName }
            let displayName = shownName!
            let contact = ref(Int(match.ordinal))
            let nameWords = match.similarity >= 0.999 ? "name \"\(displayName)\" is \(contact.name)'s"
                : "name \"\(displayName)\" is like \(contact.name) (\(Int((match.similarity * 100).rounded()))% similar)"
            let reason: String
            switch match.corroboration {
            case .givenCompany(let company): reason = "\(nameWords) and the company \(company) is known for the author"
            case .namedCompany(let company): reason = "\(nameWords) and the company \"\(company)\" is named in the text"
            case .domain(let domain): reason = "\(nameWords) and the sender writes from the company domain \(domain)"
            case nil: reason = "\(nameWords), but nothing else confirms it"
            }
            return LinkCandidate(contact: contact, confidence: match.confidence, evidence: [.name], reason: reason)
        }
    }

    /// Scores contacts by name similarity and what corroborates it (each ordinal once). `key` is
    /// the query's match key and `queryTokens` its tokens; a contact's name is compared in place.
    private func score(_ found: [Int32], key: UnsafeBufferPointer<UInt8>, queryTokens: UnsafeBufferPointer<UnsafeBufferPointer<UInt8>>,
                       companies: [String], givenCompany: Bool, domain queryDomain: String?) -> [NameMatch] {
        var ordinals = found
        ordinals.sort()
        var matches: [NameMatch] = []
        var previous: Int32 = -1
        let ends = storage.nameKeyEnds
        let corroborable = !companies.isEmpty || queryDomain != nil
        storage.nameKeys.withUnsafeBufferPointer { names in
            for ordinal in ordinals where ordinal != previous {
                previous = ordinal
                let index = Int(ordinal)
                // Opted-out contacts are in no name or company block, so never found here.
                assert(!entries[index].optedOut)
                let name = UnsafeBufferPointer(rebasing: names[(index == 0 ? 0 : Int(ends[index - 1]))..<Int(ends[index])])
                let similarity = name.elementsEqual(key)
                    ? 1 : NameSimilarity.withTokens(of: name) { NameSimilarity.score(tokens: queryTokens, $0) }
                if similarity < 0.75 { continue }
                var corroboration: Corroboration?
                if corroborable {
                    if let company = entries[index].companyKey, companies.contains(company) {
                        corroboration = company == companies.first && givenCompany ? .givenCompany(company) : .namedCompany(company)
                    } else if let domain = entries[index].domain, domain == queryDomain {
                        corroboration = .domain(domain)
                    }
                }
                matches.append(NameMatch(ordinal: ordinal, similarity: similarity, corroboration: corroboration))
            }
        }
        return matches
    }

    /// Linked, ambiguous or unlinked, from scored candidates: ordered by confidence (then
    /// ordinal), and only those the answer shows are made into `LinkCandidate`s.
    private func decide<Scored>(_ scored: [Scored], requireThreshold: Bool, confidence: (Scored) -> Double, ordinal: (Scored) -> Int,
                                candidate: (Scored) -> LinkCandidate) -> ContactLink {
        let ordered = scored.sorted {
            let left = confidence($0), right = confidence($1)
            return left != right ? left > right : ordinal($0) < ordinal($1)
        }
        guard let best = ordered.first else { return .unlinked(candidates: []) }
        let bestConfidence = confidence(best)
        if requireThreshold && bestConfidence < options.linkThreshold {
            return .unlinked(candidates: ordered.prefix(options.maxCandidates).map(candidate))
        }
        let tied = ordered.prefix { bestConfidence - confidence($0) < options.ambiguityMargin }
        if tied.count > 1 { return .ambiguous(tied.prefix(max(2, options.maxCandidates)).map(candidate)) }
        return .linked(candidate(best))
    }

    static func display(_ handle: SocialHandle) -> String {
        switch handle.network {
        case .reddit: "u/" + handle.handle
        default: "@" + handle.handle
        }
    }
}
