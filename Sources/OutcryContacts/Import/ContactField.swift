import OutcryModel

/// A contact field an import column (or JSON key, or vCard property) can fill.
///
/// The raw values are the names used in an explicit column mapping in the configuration:
///
/// ```yaml
/// contacts:
///   mapping: { email: "Work Email", name: "Full Name", x: "Twitter" }
/// ```
public enum ContactField: String, Sendable, CaseIterable, Hashable {
    case externalID = "external_id"
    case name
    case firstName = "first_name"
    case lastName = "last_name"
    case email
    case phone
    case company
    case segment
    case tier
    case owner
    /// A true value means the person opted out (`HasOptedOutOfEmail`, `Email Opt Out`, …).
    case optedOut = "opted_out"
    /// A false value means the person did not consent, and is treated as opted out.
    case consent
    case x, mastodon, reddit, bluesky, instagram, tiktok
    /// A profile URL or handle whose network is read from its form.
    case social

    /// The network of a handle field.
    public var network: SocialNetwork? {
        switch self {
        case .x: .x
        case .mastodon: .mastodon
        case .reddit: .reddit
        case .bluesky: .bluesky
        case .instagram: .instagram
        case .tiktok: .tiktok
        default: nil
        }
    }

    /// Whether a field takes several values (all columns mapped to it are read).
    var isMultiValued: Bool {
        switch self {
        case .email, .phone, .social, .x, .mastodon, .reddit, .bluesky, .instagram, .tiktok: true
        default: false
        }
    }

    /// The field a column header names in the common CRM exports (HubSpot, Salesforce, Pipedrive,
    /// Zoho, Google/Outlook contacts), nil for a column Outcry does not read.
    public static func recognise(header: String) -> ContactField? {
        let key = String(header.lowercased().unicodeScalars.filter { $0.properties.isAlphabetic || $0.properties.numericType != nil }
            .map(Character.init))
        if let field = synonyms[key] { return field }
        // Numbered and labelled variants: Google's "E-mail 2 - Value", "Phone 1 - Value", "Email 3";
        // Pipedrive's "Person - Email - Work", "Person - Phone - Mobile".
        var base = Substring(key)
        if base.hasSuffix("value") { base = base.dropLast(5) }
        if base.hasSuffix("adresse") { base = base.dropLast(7) }  // German Outlook: "E-Mail 2: Adresse"
        while let last = base.last, last.isNumber { base = base.dropLast() }
        if base != Substring(key), let field = synonyms[String(base)], field == .email || field == .phone { return field }
        if key.hasPrefix("personemail") { return .email }
        if key.hasPrefix("personphone") { return .phone }
        return nil
    }

    private static let synonyms: [String: ContactField] = {
        var table: [String: ContactField] = [:]
        func add(_ field: ContactField, _ keys: String...) { for key in keys { table[key] = field } }
        add(.externalID, "recordid", "contactid", "id", "personid", "uid", "externalid", "contactrecordid", "hubspotid",
            "salesforceid", "zohoid", "customerid", "crmid")
        add(.name, "name", "fullname", "personname", "contactname", "displayname")
        add(.firstName, "firstname", "givenname", "forename", "first")
        add(.lastName, "lastname", "surname", "familyname", "last")
        add(.email, "email", "emailaddress", "workemail", "personalemail", "otheremail", "mail", "secondaryemail",
            "additionalemailaddresses", "alternateemail")
        add(.phone, "phone", "phonenumber", "mobilephone", "mobile", "mobilephonenumber", "homephone", "otherphone",
            "workphone", "telephone", "tel", "cell", "cellphone", "businessphone")
        add(.company, "company", "companyname", "accountname", "organization", "organisation", "organizationname",
            "organisationname", "org", "account", "employer", "associatedcompany")
        add(.segment, "segment", "lifecyclestage", "customersegment", "market")
        add(.tier, "tier", "customertier", "valuetier", "accounttier", "servicetier")
        add(.owner, "owner", "contactowner", "ownername", "contactownername", "hubspotowner", "personowner",
            "accountowner", "recordowner")
        add(.optedOut, "optedout", "optout", "emailoptout", "hasoptedoutofemail", "donotcontact", "unsubscribed",
            "unsubscribedfromallemail", "donotprofile", "privacyoptout", "gdproptout", "donottrack")
        add(.consent, "consent", "marketingconsent", "optin", "gdprconsent", "monitoringconsent")
        add(.x, "twitter", "twitterusername", "twitterhandle", "x", "xhandle", "xusername", "twitterx")
        add(.mastodon, "mastodon", "mastodonhandle", "fediverse")
        add(.reddit, "reddit", "redditusername", "reddithandle")
        add(.bluesky, "bluesky", "blueskyhandle", "bsky")
        add(.instagram, "instagram", "instagramhandle", "instagramusername")
        add(.tiktok, "tiktok", "tiktokhandle", "tiktokusername")
        // German exports (Outlook, Google, DATEV-style CRMs): `Vorname;Nachname;E-Mail-Adresse;…`.
        add(.externalID, "kundennummer", "kundenid", "kontaktid", "kundennr")
        add(.name, "vollständigername", "anzeigename", "kontaktname")
        add(.firstName, "vorname")
        add(.lastName, "nachname", "familienname")
        add(.email, "emailadresse", "mailadresse", "email1adresse")
        add(.phone, "telefon", "telefonnummer", "telefongeschäftlich", "telefonprivat", "mobiltelefon", "handy", "mobilnummer",
            "telefonfirma", "weiterestelefon")
        add(.company, "firma", "unternehmen", "firmenname")
        add(.owner, "kontaktinhaber", "betreuer", "zuständig")
        add(.optedOut, "werbewiderspruch", "keinewerbung", "abgemeldet")
        add(.consent, "einwilligung", "werbeeinwilligung")
        add(.social, "social", "socialprofile", "socialprofiles", "socialmedia")
        return table
    }()

    /// ` (did you mean "X"?)` for the candidate nearest `word` (case and spacing ignored), or "".
    static func suggestion(_ word: String, among candidates: [String]) -> String {
        func fold(_ s: String) -> [Character] { Array(s.lowercased().filter { $0.isLetter || $0.isNumber }) }
        let target = fold(word)
        let scored = candidates.map { candidate -> (String, Int) in
            let other = fold(candidate)
            var previous = Array(0...other.count)
            for (i, a) in target.enumerated() {
                var current = [i + 1] + Array(repeating: 0, count: other.count)
                for (j, b) in other.enumerated() {
                    current[j + 1] = Swift.min(previous[j + 1] + 1, current[j] + 1, previous[j] + (a == b ? 0 : 1))
                }
                previous = current
            }
            return (candidate, previous[other.count])
        }
        guard let best = scored.min(by: { $0.1 < $1.1 }), best.1 <= Swift.max(2, target.count / 3) else { return "" }
        return " (did you mean \"\(best.0)\"?)"
    }

    /// Reads a yes/no cell: `true`, `yes`, `y`, `1`, `x`, `opted out`, … are true; empty is nil.
    static func flag(_ value: String) -> Bool? {
        let key = value.trimmedSpace.lowercased()
        switch key {
        case "": return nil
        case "true", "yes", "y", "1", "x", "t", "on", "opted out", "optedout", "opted-out", "unsubscribed", "ja", "oui", "si", "sí":
            return true
        default:
            return false
        }
    }
}
