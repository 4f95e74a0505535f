/// Company names folded for comparison: case and diacritics folded, legal forms dropped
/// (`ACME Ltd.` and `Acme` are the same company).
///
/// ```swift
/// CompanyNormalizer.key("Société Générale S.A.") // "societe generale"
/// ```
public enum CompanyNormalizer {
    public static func key(_ raw: String) -> String? {
        var tokens = NameNormalizer.fold(raw).split(separator: " ")
        while tokens.count > 1, let last = tokens.last, legalForms.contains(String(last)) { tokens.removeLast() }
        if tokens.count > 1, tokens.first == "the" { tokens.removeFirst() }
        let key = tokens.joined(separator: " ")
        return key.isEmpty ? nil : key
    }

    private static let legalForms: Set<String> = [
        "inc", "incorporated", "ltd", "limited", "llc", "llp", "plc", "corp", "corporation", "co", "company",
        "gmbh", "ag", "kg", "se", "sa", "sas", "sarl", "srl", "spa", "bv", "nv", "oy", "ab", "as", "aps", "pty",
        "pte", "kk", "group", "holding", "holdings", "s", "a", "b", "v",
    ]
}
