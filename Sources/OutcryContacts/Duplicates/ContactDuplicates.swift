import OutcryModel

/// Two records that are likely the same person, with how likely and why.
public struct DuplicatePair: Sendable, Equatable {
    /// Positions in the contacts searched; `first < second`.
    public var first: Int
    public var second: Int
    /// 0…1
    public var score: Double
    /// Plain words: "same email ada@example.com", "names 96% alike at the same company (acme)".
    public var reasons: [String]

    public init(first: Int, second: Int, score: Double, reasons: [String]) {
        self.first = first
        self.second = second
        self.score = score
        self.reasons = reasons
    }
}

/// Finds likely duplicate contacts without comparing every pair: only records that share an
/// identifier (email, phone, handle) or a name block at the same company are compared.
///
/// ```swift
/// for pair in ContactDuplicates.find(in: contacts) {
///     print(contacts[pair.first].name, "≈", contacts[pair.second].name, pair.score, pair.reasons)
/// }
/// ```
public enum ContactDuplicates {
    public struct Options: Sendable, Equatable {
        /// Pairs scoring below this are not reported.
        public var minimumScore: Double
        /// Names must be at least this alike to count as the same person at one company.
        public var minimumNameSimilarity: Double
        /// An identifier shared by more records than this (a team inbox, a switchboard number)
        /// says nothing about any one pair, and is skipped.
        public var maxGroupSize: Int
        public var emailFolding: EmailFolding
        public var defaultRegion: PhoneRegion?

        public init(minimumScore: Double = 0.75, minimumNameSimilarity: Double = 0.88, maxGroupSize: Int = 20,
                    emailFolding: EmailFolding = EmailFolding(), defaultRegion: PhoneRegion? = nil) {
            self.minimumScore = minimumScore
            self.minimumNameSimilarity = minimumNameSimilarity
            self.maxGroupSize = maxGroupSize
            self.emailFolding = emailFolding
            self.defaultRegion = defaultRegion
        }
    }

    public static func find(in contacts: [Contact], options: Options = Options()) -> [DuplicatePair] {
        // Blocking: contacts grouped by each normalised identifier, and by name block × company.
        var groups: [String: [Int]] = [:]
        var tokens: [[[UInt8]]] = []
        tokens.reserveCapacity(contacts.count)
        for (position, contact) in contacts.enumerated() {
            for email in contact.emails {
                if let value = EmailNormalizer.normalize(email, folding: options.emailFolding) { groups["email \(value)", default: []].append(position) }
            }
            for phone in contact.phones {
                if let value = PhoneNormalizer.e164(phone, region: options.defaultRegion) { groups["phone \(value)", default: []].append(position) }
            }
            for handle in contact.handles {
                if let value = HandleNormalizer.normalize(handle.handle, network: handle.network) {
                    groups["\(value.network.displayName) handle \(ContactIndex.display(value))", default: []].append(position)
                }
            }
            let nameTokens = NameNormalizer.tokens(contact.name)
            tokens.append(nameTokens.map { Array($0.utf8) })
            if let company = companyKey(contact) {
                for key in ContactIndex.blockKeys(nameTokens) { groups["\u{0}name \(key) \(company)", default: []].append(position) }
            }
        }

        var shared: [PairKey: [String]] = [:]
        var nameCandidates: Set<PairKey> = []
        for (label, members) in groups where members.count >= 2 && members.count <= options.maxGroupSize {
            let isNameBlock = label.hasPrefix("\u{0}")
            for i in 0..<members.count {
                for j in (i + 1)..<members.count where members[i] != members[j] {
                    let key = PairKey(min(members[i], members[j]), max(members[i], members[j]))
                    if isNameBlock { nameCandidates.insert(key) } else { shared[key, default: []].append("same " + label) }
                }
            }
        }

        var pairs: [DuplicatePair] = []
        for key in Set(shared.keys).union(nameCandidates) {
            let similarity = NameSimilarity.score(bytes: tokens[key.first], tokens[key.second])
            var reasons = (shared[key] ?? []).sorted()
            var score: Double
            if !reasons.isEmpty {
                var missing = 1.0
                for reason in reasons {
                    missing *= reason.hasPrefix("same email") ? 0.1 : reason.hasPrefix("same phone") ? 0.2 : 0.15
                }
                if similarity < 0.75 {
                    score = (1 - missing) * 0.7
                    reasons.append("but the names differ (\(percent(similarity)) alike)")
                } else {
                    score = 1 - missing * 0.5
                    reasons.append("names \(percent(similarity)) alike")
                }
            } else {
                // Only the name: it must be the same name, give or take one typing slip, at the same company.
                guard similarity >= options.minimumNameSimilarity, NameSimilarity.withinOneSlip(tokens[key.first], tokens[key.second]),
                      let company = companyKey(contacts[key.first]), company == companyKey(contacts[key.second]) else { continue }
                score = 0.5 + 0.4 * similarity
                let at = company.hasPrefix("@") ? "the same company domain (\(company.dropFirst()))" : "the same company (\(company))"
                reasons.append(similarity >= 0.999 ? "same name at \(at)" : "names \(percent(similarity)) alike (one letter apart) at \(at)")
            }
            if score >= options.minimumScore {
                pairs.append(DuplicatePair(first: key.first, second: key.second, score: score, reasons: reasons))
            }
        }
        return pairs.sorted { $0.score != $1.score ? $0.score > $1.score : ($0.first, $0.second) < ($1.first, $1.second) }
    }

    /// The company a contact works at: its company name, else its company email domain.
    private static func companyKey(_ contact: Contact) -> String? {
        if let company = contact.company.flatMap(CompanyNormalizer.key) { return company }
        for email in contact.emails {
            if let domain = EmailNormalizer.domain(of: email.lowercased()), !EmailNormalizer.isFreeMailDomain(domain) { return "@" + domain }
        }
        return nil
    }

    private static func percent(_ value: Double) -> String { "\(Int((value * 100).rounded()))%" }

    private struct PairKey: Hashable {
        var first: Int
        var second: Int
        init(_ first: Int, _ second: Int) {
            self.first = first
            self.second = second
        }
    }
}
