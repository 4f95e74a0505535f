import OutcryModel

/// The result of merging one contact record into another, with what was done in plain words.
public struct ContactMergeResult: Sendable, Equatable, CustomStringConvertible {
    public var merged: Contact
    /// One line per decision: what was added, what was kept over what.
    public var audit: [String]

    public var description: String { audit.joined(separator: "\n") }
}

/// Merges contact records.
///
/// ```swift
/// let result = ContactMerge.merge(duplicate, into: keeper)
/// try store.replaceContact(result.merged, removing: duplicate, audit: result.description)
/// ```
public enum ContactMerge {
    /// Merges `b` into `a`: the union of their identifiers (a's first), a's external id and id
    /// (b's external id is noted in `mergedExternalIDs`), a's attributes where it has them and
    /// b's where it has not. An opt-out on either record carries over: once a person opted out,
    /// no merge undoes it.
    public static func merge(_ b: Contact, into a: Contact) -> ContactMergeResult {
        var merged = a
        var audit = ["merged \(b.externalID) (\(b.name)) into \(a.externalID) (\(a.name))"]

        func union<T: Equatable>(_ label: String, _ keep: inout [T], _ add: [T], describe: (T) -> String) {
            let new = add.filter { !keep.contains($0) }
            if !new.isEmpty {
                keep.append(contentsOf: new)
                audit.append("added \(label) " + new.map(describe).joined(separator: ", "))
            }
        }
        union("email", &merged.emails, b.emails) { $0 }
        union("phone", &merged.phones, b.phones) { $0 }
        union("handle", &merged.handles, b.handles) { "\($0.network.displayName) \(ContactIndex.display($0))" }

        func attribute(_ label: String, _ keep: WritableKeyPath<Contact, String?>) {
            switch (a[keyPath: keep], b[keyPath: keep]) {
            case (nil, let other?):
                merged[keyPath: keep] = other
                audit.append("took \(label) \"\(other)\" from \(b.externalID)")
            case (let mine?, let other?) where mine != other:
                audit.append("kept \(label) \"\(mine)\" (\(b.externalID) had \"\(other)\")")
            default:
                break
            }
        }
        if a.name.trimmedSpace.isEmpty, !b.name.isEmpty {
            merged.name = b.name
            audit.append("took name \"\(b.name)\" from \(b.externalID)")
        } else if a.name != b.name {
            audit.append("kept name \"\(a.name)\" (\(b.externalID) had \"\(b.name)\")")
        }
        attribute("company", \.company)
        attribute("segment", \.segment)
        attribute("tier", \.tier)
        attribute("owner", \.owner)

        if b.optedOut && !a.optedOut {
            merged.optedOut = true
            audit.append("\(b.externalID) had opted out, so the merged contact is opted out")
        }
        for id in [b.externalID] + b.mergedExternalIDs where id != a.externalID && !merged.mergedExternalIDs.contains(id) {
            merged.mergedExternalIDs.append(id)
        }
        audit.append("noted \(b.externalID) as a merged external id")
        return ContactMergeResult(merged: merged, audit: audit)
    }
}
