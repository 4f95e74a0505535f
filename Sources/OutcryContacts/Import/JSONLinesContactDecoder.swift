import Foundation
import OutcryModel

/// Reads contacts from JSON lines: one object per line, keys named like CSV columns or like
/// `ContactField` raw values; arrays give several values, and a `handles` object maps networks to
/// handles (`{"name":"Ada","emails":["a@x.org"],"handles":{"x":"@ada"}}`).
struct JSONLinesContactDecoder {
    private let keyFields: (String) -> ContactField?
    private let builder: ContactRowBuilder

    init(mapping: [String: String], builder: ContactRowBuilder) throws {
        var explicit: [String: ContactField] = [:]
        for (key, value) in mapping {
            guard let field = ContactField(rawValue: key) ?? ContactField.recognise(header: key) else {
                throw ContactImportError("column mapping names an unknown field \"\(key)\"")
            }
            for name in value.split(separator: "|") { explicit[String(name).trimmedSpace.lowercased()] = field }
        }
        let mapped = explicit
        keyFields = { key in
            mapped[key.lowercased()] ?? ContactField(rawValue: key) ?? ContactField.recognise(header: key)
                ?? (key.lowercased() == "emails" ? .email : key.lowercased() == "phones" ? .phone : nil)
        }
        self.builder = builder
    }

    func decode(line: ArraySlice<UInt8>, number: Int) -> [ContactImportRow] {
        guard line.contains(where: { !ASCII.isSpace($0) }) else { return [] }
        guard let object = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any] else {
            return [.rejected(ContactRejection(line: number, kind: .malformed, detail: "not a JSON object"))]
        }
        var record = ContactRecord()
        for (key, value) in object.sorted(by: { $0.key < $1.key }) {
            if key.lowercased() == "handles", let handles = value as? [String: Any] {
                for (network, handle) in handles.sorted(by: { $0.key < $1.key }) {
                    for text in strings(handle) { record.handles.append((SocialNetwork(name: network), text)) }
                }
                continue
            }
            guard let field = keyFields(key) else { continue }
            for text in strings(value) { record.add(field, text) }
        }
        return builder.build(record, line: number)
    }

    private func strings(_ value: Any) -> [String] {
        switch value {
        case let text as String: [text]
        case let number as Int: [String(number)]
        case let number as Double: [String(number)]
        case let flag as Bool: [flag ? "true" : "false"]
        case let list as [Any]: list.flatMap(strings)
        default: []
        }
    }
}
