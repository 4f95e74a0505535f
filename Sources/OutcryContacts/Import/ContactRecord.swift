import OutcryModel

/// The raw values of one row, by field, before they are checked and normalised.
struct ContactRecord {
    var values: [(field: ContactField, value: String)] = []
    /// Handles whose network came with them (vCard `X-SOCIALPROFILE;TYPE=twitter`).
    var handles: [(network: SocialNetwork?, value: String)] = []

    mutating func add(_ field: ContactField, _ value: String) {
        values.append((field, value))
    }

    func first(_ field: ContactField) -> String? {
        for entry in values where entry.field == field {
            let trimmed = entry.value.trimmedSpace
            if !trimmed.isEmpty { return trimmed }
        }
        return nil
    }
}

/// Turns raw records into checked, normalised contacts or rejections.
struct ContactRowBuilder: Sendable {
    var region: PhoneRegion?

    /// The contact of a record, preceded by a rejection for each optional field that could not
    /// be used (a bad email, phone or handle): the contact is imported without that field and
    /// the field is reported with its line. Only a row without any name is rejected whole.
    func build(_ record: ContactRecord, line: Int) -> [ContactImportRow] {
        var dropped: [ContactImportRow] = []
        func drop(_ kind: ContactRejection.Kind, _ detail: String) {
            dropped.append(.rejected(ContactRejection(line: line, kind: kind, detail: detail + "; the contact was imported without it", fieldOnly: true)))
        }
        var emails: [String] = []
        var phones: [String] = []
        var handles: [SocialHandle] = []
        var optedOut = false
        var pendingHandles = record.handles

        for (field, raw) in record.values {
            switch field {
            case .email:
                for part in split(raw) {
                    guard let email = EmailNormalizer.normalize(part) else {
                        drop(.badEmail, "\"\(part)\" is not a valid address")
                        continue
                    }
                    if !emails.contains(email) { emails.append(email) }
                }
            case .phone:
                for part in split(raw, separators: ";|") {
                    guard let phone = PhoneNormalizer.e164(part, region: region) else {
                        let where_ = region.map { " (default region \($0.code))" } ?? " (no default region, and no +country code)"
                        drop(.badPhone, "\"\(part)\" is not a valid number\(where_)")
                        continue
                    }
                    if !phones.contains(phone) { phones.append(phone) }
                }
            case .optedOut:
                if ContactField.flag(raw) == true { optedOut = true }
            case .consent:
                if ContactField.flag(raw) == false { optedOut = true }
            case .social, .x, .mastodon, .reddit, .bluesky, .instagram, .tiktok:
                for part in split(raw, separators: ";| ") { pendingHandles.append((field.network, part)) }
            default:
                continue
            }
        }
        for (network, raw) in pendingHandles {
            guard let handle = HandleNormalizer.normalize(raw, network: network) else {
                let label = network?.displayName ?? "social"
                drop(.badHandle, "\"\(raw)\" is not a valid \(label) handle")
                continue
            }
            if !handles.contains(handle) { handles.append(handle) }
        }

        let name = record.first(.name).flatMap(NameNormalizer.display)
            ?? NameNormalizer.display(first: record.first(.firstName), last: record.first(.lastName))
        guard let name else {
            return [.rejected(ContactRejection(line: line, kind: .missingName, detail: "no name, first name or last name"))]
        }

        let externalID = record.first(.externalID)
            ?? "import:" + StableHash.hex(of: ([name] + emails + phones).joined(separator: "\u{1F}"))
        let contact = Contact(
            externalID: externalID, name: name, emails: emails, phones: phones, handles: handles,
            company: record.first(.company), segment: record.first(.segment), tier: record.first(.tier),
            owner: record.first(.owner), optedOut: optedOut
        )
        return dropped + [.contact(contact, line: line)]
    }

    private func split(_ raw: String, separators: String = ";,") -> [String] {
        let bytes = Array(separators.utf8)
        if !raw.utf8.contains(where: bytes.contains) {
            let value = raw.trimmedSpace
            return value.isEmpty ? [] : [value]
        }
        return raw.utf8.split(whereSeparator: bytes.contains).map { String(decoding: $0, as: UTF8.self).trimmedSpace }.filter { !$0.isEmpty }
    }
}
