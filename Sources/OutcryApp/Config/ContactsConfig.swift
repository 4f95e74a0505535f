import Foundation
import OutcryContacts
import OutcryModel
import OutcryPipeline
import OutcryScoring
import Yams

/// The `contacts:` section: where the CRM export is synced from and how mentions are linked.
///
/// ```yaml
/// contacts:
///   sync_file: ../crm/contacts.csv   # imported by `outcry run` every sync_interval when it changed
///   sync_interval: 1h
///   default_region: GB               # national phone numbers without +44
///   mapping: { email: "Work Email", tier: "Account Tier" }
///   link_threshold: 0.8
/// ```
public struct ContactsConfig: Sendable, Equatable {
    public var syncFile: String?
    public var syncInterval: TimeInterval = 3600
    /// ISO region code for phone numbers written without a country code.
    public var defaultRegion: String?
    /// Contact field → column (`ContactField` raw values as keys).
    public var mapping: [String: String] = [:]
    public var linkThreshold: Double = 0.8

    public init() {}

    /// Import options for a file in `format`, with the configured region and mapping.
    public func importOptions(format: ContactImportFormat = .auto, region: String? = nil) -> ContactImportOptions {
        ContactImportOptions(format: format, mapping: mapping, defaultRegion: (region ?? defaultRegion).flatMap(PhoneRegion.named))
    }

    public var matchOptions: ContactMatchOptions {
        ContactMatchOptions(defaultRegion: defaultRegion.flatMap(PhoneRegion.named), linkThreshold: linkThreshold)
    }

    /// The daemon's sync, when a file is configured.
    public var syncSettings: ContactSyncSettings? {
        syncFile.map { ContactSyncSettings(path: $0, interval: syncInterval, options: importOptions()) }
    }
}

extension ConfigReader {
    static let contactsKeys = ["sync_file", "sync_interval", "default_region", "mapping", "link_threshold"]
    static let retentionKeys = ["mentions", "mail_bodies"]

    mutating func readContacts(_ node: Node) -> ContactsConfig {
        var contacts = ContactsConfig()
        guard let map = mapping(node, "contacts") else { return contacts }
        checkKeys(map, allowed: Self.contactsKeys, in: "contacts")
        if let n = map["sync_file"], let v = string(n, "sync_file"), !v.isEmpty { contacts.syncFile = resolve(v) }
        if let n = map["sync_interval"], let v = duration(n, "sync_interval") { contacts.syncInterval = v }
        if let n = map["default_region"], let v = string(n, "default_region") {
            if PhoneRegion.named(v) != nil { contacts.defaultRegion = v.uppercased() }
            else {
                let codes = PhoneRegion.all.map(\.code)
                problem(n.mark, "unknown region '\(v)' in `default_region`", hint: "write an ISO code: \(codes.joined(separator: ", "))")
            }
        }
        if let n = map["link_threshold"], let text = string(n, "link_threshold") {
            if let v = Double(text), v > 0, v <= 1 { contacts.linkThreshold = v }
            else { problem(n.mark, "`link_threshold` should be a number above 0 and at most 1, not '\(text)'", hint: "e.g. 0.8") }
        }
        if let n = map["mapping"], let fields = mapping(n, "contacts.mapping") {
            let names = ContactField.allCases.map(\.rawValue)
            for (key, value) in fields {
                guard let field = key.string else { continue }
                guard names.contains(field) else {
                    problem(key.mark, "unknown contact field `\(field)` in contacts.mapping",
                            hint: "fields: \(names.joined(separator: ", "))\(suggestion(field, names))")
                    continue
                }
                if let column = string(value, field), !column.isEmpty { contacts.mapping[field] = column }
                else { problem(value.mark, "contacts.mapping `\(field)` needs a column name", hint: "e.g. \(field): \"Column Header\"") }
            }
        }
        return contacts
    }

    mutating func readRetention(_ node: Node) -> RetentionSettings {
        var retention = RetentionSettings()
        guard let map = mapping(node, "retention") else { return retention }
        checkKeys(map, allowed: Self.retentionKeys, in: "retention")
        if let n = map["mentions"], let v = duration(n, "mentions") { retention.mentions = v }
        if let n = map["mail_bodies"], let v = duration(n, "mail_bodies") { retention.mailBodies = v }
        return retention
    }
}
