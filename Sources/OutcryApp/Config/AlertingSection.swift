import Foundation
import OutcryAlerting
import OutcryFetch
import OutcryModel
import OutcryPipeline
import OutcryStore
import Yams

/// The alerting part of `outcry.yaml` (`calendars`, `sla`, `escalations`, `quiet_hours`, `routes`,
/// `receivers`, `retry`, `redaction`, `dashboard_url`), decoded by `AlertingConfig` after `${NAME}`
/// references were replaced from the environment. Absent when the file has no `routes:`.
public struct AlertingSection: Sendable, Equatable {
    public var config: AlertingConfig
    /// Where the dashboard lives; thread and acknowledge links in notifications start with it.
    public var dashboardURL: String

    public init(config: AlertingConfig, dashboardURL: String) {
        self.config = config
        self.dashboardURL = dashboardURL
    }
}

/// A coding key for a path built by hand (`sla[2]`).
struct PathKey: CodingKey {
    var stringValue: String
    var intValue: Int?
    init(_ name: String) { stringValue = name }
    init(_ index: Int) {
        stringValue = "\(index)"
        intValue = index
    }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { self.init(intValue) }
}

extension ConfigReader {
    static let alertingKeys = ["calendars", "sla", "escalations", "quiet_hours", "routes", "receivers", "retry", "redaction", "dashboard_url"]

    /// Reads the alerting sections of the top-level mapping; nil (and a problem) when they are wrong,
    /// nil without a problem when there are none.
    mutating func readAlerting(_ top: Node.Mapping) -> AlertingSection? {
        let present = Self.alertingKeys.filter { top[$0] != nil }
        guard !present.isEmpty else { return nil }
        guard top["routes"] != nil else {
            problem(top.mark, "alerting sections (\(present.joined(separator: ", "))) need `routes:`",
                    hint: "add `routes: {receiver: NAME}` naming the default receiver")
            return nil
        }
        let before = problems.count
        var raw: [(Node, Node)] = []
        var resolved: [(Node, Node)] = []
        var dashboard = "http://localhost:8080"
        var dashboardGiven = false
        var missing: [String: [String]] = [:]  // receiver → unset variables its fields name
        for key in Self.alertingKeys {
            guard let node = top[key] else { continue }
            if key == "dashboard_url" {
                if let text = string(node, key) {
                    dashboard = text
                    dashboardGiven = true
                    checkURL(text, raw: nil, schemes: ["https", "http"], node: node, fallback: top.mark, owner: "dashboard_url")
                }
                continue
            }
            checkSection(key, node, top: top)
            raw.append((Node(key), node))
            resolved.append((Node(key), key == "receivers" ? substituteReceivers(node, missing: &missing) : substituteAll(node, key: key)))
        }
        guard problems.count == before else { return nil }
        let rawConfig: AlertingConfig
        var config: AlertingConfig
        do {
            rawConfig = try YAMLDecoder().decode(AlertingConfig.self, from: try Yams.serialize(node: .mapping(.init(raw))))
            config = try YAMLDecoder().decode(AlertingConfig.self, from: try Yams.serialize(node: .mapping(.init(resolved))))
        } catch let error as DecodingError {
            let (path, message, hint) = Self.describe(error)
            problem(Self.locate(path, in: top) ?? top.mark, "\(Self.place(path)): \(message)\(Self.found(path, in: top, after: message))", hint: hint)
            return nil
        } catch {
            problem(top.mark, "alerting: \(error)", hint: nil)
            return nil
        }
        for message in rawConfig.check() {
            let key = message.hasPrefix("receiver") ? "receivers" : message.hasPrefix("sla") ? "sla"
                : message.hasPrefix("escalation") ? "escalations" : "routes"
            problem(top[key]?.mark ?? top.mark, message, hint: nil)
        }
        for (name, variables) in missing where config.receivers[name] != nil {
            config.receivers[name]?.missingVariables = variables
        }
        loadReceiverTemplates(&config, top: top)
        checkReceiverSecrets(raw: rawConfig, resolved: config, top: top)
        if !dashboardGiven, !config.receivers.isEmpty {
            warning(top["receivers"]?.mark ?? top.mark, "`dashboard_url` is not set, so the thread and acknowledge links in every notification point at \(dashboard)",
                    hint: "add `dashboard_url: https://outcry.example.org` (the address people open the dashboard at)")
        }
        if let key = environment["OUTCRY_ACK_KEY"], let problem = Application.ackKeyProblem(key) {
            self.problem(nil, problem.message, hint: problem.hint)
        }
        return AlertingSection(config: config, dashboardURL: dashboard.hasSuffix("/") ? String(dashboard.dropLast()) : dashboard)
    }

    /// Checks one alerting section: its shape first (unknown keys, a list where a mapping
    /// belongs), then its values decoded the way `AlertingConfig` will, each named entry (a
    /// receiver, a calendar, a chain) and each SLA policy on its own, so that every bad value
    /// is reported on its own line.
    mutating func checkSection(_ key: String, _ node: Node, top: Node.Mapping) {
        guard let shape = AlertingShape.sections[key] else { return }
        let prefix = [PathKey(key)]
        switch (shape, node) {
        case (.named(let entry), .mapping(let map)):
            for (name, value) in map where checkShape(value, entry, place: "\(key).\(name.string ?? "?")") {
                let single = Node.mapping(.init([(name, value)]))
                switch key {
                case "calendars": decodeValue([String: BusinessCalendar].self, single, prefix: prefix, top: top)
                case "escalations": decodeValue([String: EscalationChain].self, single, prefix: prefix, top: top)
                case "quiet_hours": decodeValue([String: QuietHours].self, single, prefix: prefix, top: top)
                case "receivers": decodeValue([String: ReceiverConfig].self, single, prefix: prefix, top: top)
                default: break
                }
            }
            if key == "receivers" { checkReceiverURLs(map, top: top) }
        case (.list(let item), .sequence(let list)) where key == "sla":
            for (i, value) in list.enumerated() where checkShape(value, item, place: "sla[\(i + 1)]") {
                decodeValue(SLAPolicy.self, value, prefix: prefix + [PathKey(i)], top: top)
            }
        default:
            if key == "routes" { checkMatchers(route: node) }
            guard checkShape(node, shape, place: key) else { return }
            switch key {
            case "routes": decodeValue(RouteConfig.self, node, prefix: prefix, top: top)
            case "retry": decodeValue(RetryPolicy.self, node, prefix: prefix, top: top)
            case "redaction": decodeValue(RedactionPolicy.self, node, prefix: prefix, top: top)
            default: break
            }
        }
    }

    mutating func decodeValue<T: Decodable>(_ type: T.Type, _ node: Node, prefix: [PathKey], top: Node.Mapping) {
        do {
            _ = try YAMLDecoder().decode(T.self, from: try Yams.serialize(node: node))
        } catch let error as DecodingError {
            let (path, message, hint) = Self.describe(error)
            let full: [any CodingKey] = prefix + path
            problem(Self.locate(full, in: top) ?? node.mark, "\(Self.place(full)): \(message)\(Self.found(full, in: top, after: message))", hint: hint)
        } catch {
            problem(node.mark, "\(Self.place(prefix)): \(error)", hint: nil)
        }
    }

    /// `receivers.crm-hook.url`, `sla[2].targets`.
    static func place(_ path: [any CodingKey]) -> String {
        var place = path.map { $0.intValue.map { "[\($0 + 1)]" } ?? ".\($0.stringValue)" }.joined()
        if place.hasPrefix(".") { place.removeFirst() }
        return place
    }

    /// Reads each receiver's `template:` file, parses it and renders a sample notification with
    /// it (a chat or webhook template must give a JSON object), each problem on the template's line.
    mutating func loadReceiverTemplates(_ config: inout AlertingConfig, top: Node.Mapping) {
        for (name, receiver) in config.receivers.sorted(by: { $0.key < $1.key }) {
            guard let file = receiver.template else { continue }
            var mark = top["receivers"]?.mark
            if case .mapping(let receivers)? = top["receivers"], case .mapping(let fields)? = receivers[name] { mark = fields["template"]?.mark ?? mark }
            let path = resolve(file)
            guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
                problem(mark, "receiver '\(name)': cannot read the template \(path)", hint: "check the path (relative to the config file's folder)")
                continue
            }
            do {
                _ = try NotificationTemplate(text, for: receiver.type).render(Self.sampleNotification(receiver: name))
                config.receivers[name]?.templateText = text
            } catch let error as AlertingConfigError {
                problem(mark, "receiver '\(name)': template \(file): \(error.message)",
                        hint: receiver.type == .email ? nil : "a \(receiver.type.rawValue) template renders the JSON body; write values as {{name}} inside JSON strings")
            } catch {
                problem(mark, "receiver '\(name)': template \(file): \(error)", hint: nil)
            }
        }
    }

    /// A notification with every value set (quotes, markup and line breaks in the text), to try templates on.
    static func sampleNotification(receiver: String) -> OutcryAlerting.Notification {
        let now = Date(timeIntervalSince1970: 1_767_225_600)
        let lead = ThreadAlert(id: "t1/new", threadID: "1", title: "Refund \"refused\" <again>", severity: .p1, urgency: [.legal], brand: "Brand",
                               source: "forum", channel: .social, reasons: [Reason(rule: "urgency.legal", evidence: "my lawyer", weight: 1)],
                               excerpt: "Line one\nline \\two & *three*", contact: ContactLink(name: "Ann", url: "https://crm.example/c/1", confidence: 0.9, basis: "email"),
                               postURL: "https://social.example/@ann/1", firedAt: now)
        let other = ThreadAlert(id: "t2/new", threadID: "2", title: "Another", severity: .p1, source: "forum", channel: .feed,
                                postURL: "https://forum.example/t/2", firedAt: now)
        let composer = NotificationComposer(dashboardURL: "https://outcry.example.org", ackSigner: AckTokenSigner(key: Array(repeating: 7, count: 32)))
        return composer.compose(alerts: [lead, other], receiver: receiver, groupKey: "sample", routeReasons: ["route 'root' matched"], now: now)
    }

    /// Receiver URLs are well formed for their type (after `${NAME}` was replaced; a URL whose
    /// variable is unset is left to the secrets check).
    mutating func checkReceiverURLs(_ receivers: Node.Mapping, top: Node.Mapping) {
        for (name, receiver) in receivers {
            guard case .mapping(let fields) = receiver, let node = fields["url"], case .scalar(let raw) = node,
                  let url = quietlySubstituted(raw.string), !url.isEmpty else { continue }
            let type = fields["type"]?.string.flatMap { ReceiverConfig.Kind(rawValue: $0) }
            let schemes = type == .email ? ["smtp", "smtps"] : ["https", "http"]
            // An SMTP password in clear has its own warning (checkReceiverSecrets); any other URL's here.
            checkURL(url, raw: type == .email ? nil : raw.string, schemes: schemes, node: node, fallback: receiver.mark,
                     owner: "receiver '\(name.string ?? "?")'")
        }
    }

    /// `${NAME}` replaced from the environment; nil when a variable is not set.
    func quietlySubstituted(_ text: String) -> String? {
        var result = ""
        var rest = Substring(text)
        while let start = rest.range(of: "${") {
            result += rest[..<start.lowerBound]
            guard let end = rest[start.upperBound...].firstIndex(of: "}"),
                  let value = environment[String(rest[start.upperBound..<end])] else { return nil }
            result += value
            rest = rest[rest.index(after: end)...]
        }
        return result + rest
    }

    /// `, not 'many'` after a "should be …" message, from the value written at `path`.
    static func found(_ path: [any CodingKey], in top: Node.Mapping, after message: String) -> String {
        guard message.hasPrefix("should be"), !message.contains(", not '") else { return "" }
        var node: Node = .mapping(top)
        for key in path {
            switch node {
            case .mapping(let m): guard let next = m[key.stringValue] else { return "" }; node = next
            case .sequence(let s): guard let i = key.intValue, i < s.count else { return "" }; node = s[i]
            default: return ""
            }
        }
        guard case .scalar(let scalar) = node else { return "" }
        return ", not '\(scalar.string.prefix(60))'"
    }

    /// Secrets of receivers: a `${NAME}` that is set but empty is refused (a webhook
    /// would be signed with an empty key, a chat URL would be empty); a chat webhook URL or an
    /// SMTP password written in clear in the file is a warning.
    mutating func checkReceiverSecrets(raw: AlertingConfig, resolved: AlertingConfig, top: Node.Mapping) {
        func mark(_ name: String, _ field: String) -> Mark? {
            guard case .mapping(let receivers)? = top["receivers"], let receiver = receivers[name] else { return top["receivers"]?.mark ?? top.mark }
            guard case .mapping(let fields) = receiver, let node = fields[field] else { return receiver.mark }
            return node.mark
        }
        for name in raw.receivers.keys.sorted() {
            guard let before = raw.receivers[name], let after = resolved.receivers[name], after.missingVariables.isEmpty else { continue }
            if let text = before.secret, text.contains("${"), (after.secret ?? "").isEmpty {
                problem(mark(name, "secret"), "receiver '\(name)': secret \(text) is set but empty; a webhook signed with an empty key proves nothing",
                        hint: "export a long random value, e.g. `export \(Self.variableName(text) ?? "NAME")=$(openssl rand -hex 32)`")
            }
            if let text = before.url, text.contains("${"), (after.url ?? "").isEmpty {
                problem(mark(name, "url"), "receiver '\(name)': url \(text) is set but empty", hint: "export the receiver's URL in that variable")
            }
            guard let url = before.url, !url.isEmpty else { continue }
            switch before.type {
            case .slack, .mattermost, .teams:
                if !url.contains("${") {
                    warning(mark(name, "url"), "receiver '\(name)': the \(before.type.rawValue) webhook URL is written in clear in the file (\(SecretMasking.maskURL(url))); anyone who reads it can post to the channel",
                            hint: "write `url: \"${\(Self.envName(name))_WEBHOOK}\"` and export that variable")
                }
            case .email:
                if let password = Self.urlPassword(url), !password.contains("${") {
                    warning(mark(name, "url"), "receiver '\(name)': the SMTP URL carries a password written in clear (\(SecretMasking.maskURL(url)))",
                            hint: "write the password as ${NAME}, e.g. `url: \"smtp://user:${\(Self.envName(name))_SMTP_PASSWORD}@host\"`")
                }
            case .webhook:
                break
            }
        }
    }

    /// The password in a URL's user info, if any.
    static func urlPassword(_ url: String) -> String? {
        guard let start = url.range(of: "://") else { return nil }
        let rest = url[start.upperBound...]
        let authority = rest[..<(rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex)]
        guard let at = authority.lastIndex(of: "@"), let colon = authority[..<at].firstIndex(of: ":") else { return nil }
        return String(authority[authority.index(after: colon)..<at])
    }

    /// `${HOOK_SECRET}` → `HOOK_SECRET`.
    static func variableName(_ reference: String) -> String? {
        guard let start = reference.range(of: "${"), let end = reference[start.upperBound...].firstIndex(of: "}") else { return nil }
        return String(reference[start.upperBound..<end])
    }

    /// The receivers with `${NAME}` replaced; a variable that is not set is no problem here but a
    /// warning: that receiver alone dead-letters its notifications (with the names) until it is
    /// set, and everything else — reading, polling, the other receivers — works.
    mutating func substituteReceivers(_ node: Node, missing: inout [String: [String]]) -> Node {
        guard case .mapping(let receivers) = node else { return node }
        var pairs: [(Node, Node)] = []
        for (name, receiver) in receivers {
            let unset = Self.references(in: receiver).filter { environment[$0] == nil }
            if !unset.isEmpty, let receiverName = name.string {
                missing[receiverName] = unset
                warning(receiver.mark, "receiver '\(receiverName)': \(unset.map { "${\($0)}" }.joined(separator: ", ")) not set in the environment; its notifications are dead-lettered until \(unset.count == 1 ? "it is" : "they are")",
                        hint: "export \(unset.joined(separator: ", ")) where outcry sends notifications (`outcry run`, `outcry poll`)")
                pairs.append((name, Self.blankReferences(receiver)))
            } else {
                pairs.append((name, substituteAll(receiver, key: name.string ?? "receivers")))
            }
        }
        return .mapping(.init(pairs, receivers.tag, receivers.style, receivers.mark))
    }

    /// Every `${NAME}` named in the scalars of a tree.
    static func references(in node: Node) -> [String] {
        switch node {
        case .scalar(let s):
            var names: [String] = []
            var rest = Substring(s.string)
            while let start = rest.range(of: "${"), let end = rest[start.upperBound...].firstIndex(of: "}") {
                names.append(String(rest[start.upperBound..<end]))
                rest = rest[rest.index(after: end)...]
            }
            return names
        case .mapping(let m): return m.flatMap { references(in: $0.value) }
        case .sequence(let s): return s.flatMap { references(in: $0) }
        }
    }

    /// The tree with every `${NAME}` left out (a receiver that cannot send anyway).
    static func blankReferences(_ node: Node) -> Node {
        switch node {
        case .scalar(let s):
            guard s.string.contains("${") else { return node }
            let text = s.string.replacingOccurrences(of: #"\$\{[^}]*\}"#, with: "", options: .regularExpression)
            return .scalar(.init(text, s.tag, s.style, s.mark))
        case .mapping(let m): return .mapping(.init(m.map { ($0.key, blankReferences($0.value)) }, m.tag, m.style, m.mark))
        case .sequence(let s): return .sequence(.init(s.map(blankReferences), s.tag, s.style, s.mark))
        }
    }

    /// The same tree with `${NAME}` replaced in every scalar (missing variables are problems with a line).
    mutating func substituteAll(_ node: Node, key: String) -> Node {
        switch node {
        case .scalar(let s):
            return .scalar(.init(substitute(s.string, mark: s.mark, key: key), s.tag, s.style, s.mark))
        case .mapping(let m):
            var pairs: [(Node, Node)] = []
            for (k, v) in m { pairs.append((k, substituteAll(v, key: k.string ?? key))) }
            return .mapping(.init(pairs, m.tag, m.style, m.mark))
        case .sequence(let s):
            var nodes: [Node] = []
            for n in s { nodes.append(substituteAll(n, key: key)) }
            return .sequence(.init(nodes, s.tag, s.style, s.mark))
        }
    }

    /// A decoding error in the configuration's words: what the value should be, not which Swift
    /// type the decoder expected ("Expected to decode Sequence but found Node instead").
    static func describe(_ error: DecodingError) -> ([any CodingKey], String, String?) {
        switch error {
        case .dataCorrupted(let c):
            let text = c.debugDescription
            if text.hasPrefix("Cannot initialize "), let from = text.range(of: " from invalid "), let value = text.range(of: " value ") {
                let type = String(text[text.index(text.startIndex, offsetBy: 18)..<from.lowerBound])
                let bad = String(text[value.upperBound...])
                let key = type == "Kind" && c.codingPath.last?.stringValue != "type" ? "RedactionKind" : type
                let allowed = enumValues[key] ?? []
                return (c.codingPath, "'\(bad)' is not a valid \(enumNames[key] ?? type)",
                        allowed.isEmpty ? nil : "write one of: \(allowed.joined(separator: ", "))\(editDistanceSuggestion(bad, allowed))")
            }
            return (c.codingPath, text, nil)
        case .keyNotFound(let key, let c):
            return (c.codingPath, "`\(key.stringValue)` is missing", "add `\(key.stringValue): …`")
        case .typeMismatch(let type, let c):
            return (c.codingPath, "should be \(expectation(type))", nil)
        case .valueNotFound(let type, let c):
            let found = c.debugDescription.range(of: " but found ").map { String(c.debugDescription[$0.upperBound...].dropLast(" instead.".count)) }
            return (c.codingPath, "should be \(expectation(type))\(found.map { ", not '\($0)'" } ?? "")", nil)
        @unknown default: return ([], "\(error)", nil)
        }
    }

    static let enumNames = ["Severity": "severity", "Channel": "channel", "Kind": "receiver type", "RedactionKind": "redaction kind", "Weekday": "weekday"]
    static let enumValues: [String: [String]] = [
        "Severity": Severity.allCases.map(\.rawValue), "Channel": Channel.allCases.map(\.rawValue),
        "Kind": ReceiverConfig.Kind.allCases.map(\.rawValue), "RedactionKind": Redactor.Kind.allCases.map(\.rawValue),
        "Weekday": Weekday.allCases.map(\.rawValue),
    ]

    static func expectation(_ type: Any.Type) -> String {
        let name = String(describing: type)
        if name.contains("Sequence") || name.hasPrefix("Array") { return "a list (lines starting with `- `)" }
        if name.contains("Mapping") || name.hasPrefix("Dictionary") { return "a mapping of `key: value` lines" }
        if name.hasPrefix("Int") { return "a whole number" }
        if name == "Double" || name == "Float" { return "a number" }
        if name == "Bool" { return "true or false" }
        return "a single value"
    }

    /// The mark of the deepest node along `path` in the original file.
    static func locate(_ path: [any CodingKey], in top: Node.Mapping) -> Mark? {
        var node: Node = .mapping(top)
        var mark = top.mark
        for key in path {
            switch node {
            case .mapping(let m):
                guard let next = m[key.stringValue] else { return mark }
                node = next
            case .sequence(let s):
                guard let i = key.intValue, i < s.count else { return mark }
                node = s[i]
            default: return mark
            }
            mark = node.mark ?? mark
        }
        return mark
    }
}

// MARK: wiring

extension Application {
    /// The alerting settings, or nil when the configuration has no alerting sections.
    /// The acknowledge-link key comes from `$OUTCRY_ACK_KEY`, else from `ack.key` in the data
    /// directory (32 random bytes written once, readable by the owner only).
    public func alertSettings(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> AlertSettings? {
        guard let section = config.alerting else { return nil }
        return try AlertSettings(config: section.config, dashboardURL: section.dashboardURL,
                                 ackKey: try Self.ackKey(dataDirectory: config.dataDirectory, environment: environment))
    }

    /// The shortest `OUTCRY_ACK_KEY` accepted (bytes).
    static let minimumAckKeyBytes = 16

    static func ackKey(dataDirectory: String, environment: [String: String]) throws -> [UInt8] {
        if let key = environment["OUTCRY_ACK_KEY"] {
            if let problem = ackKeyProblem(key) {
                throw ConfigError(path: "OUTCRY_ACK_KEY", problems: [problem])
            }
            return Array(key.utf8)
        }
        do {
            try DataFiles.prepareDirectory(dataDirectory)
            // 32 random bytes, written once 0600 and linked into place (two processes agree on one key).
            return try DataFiles.key(named: "ack.key", in: dataDirectory)
        } catch {
            let path = (dataDirectory as NSString).appendingPathComponent("ack.key")
            throw ConfigError(path: path, problems: [ConfigProblem(line: nil, message: "cannot read or write the acknowledge-link key: \(error)", hint: "check the data directory's permissions or set OUTCRY_ACK_KEY")])
        }
    }

    /// Why an `OUTCRY_ACK_KEY` cannot sign acknowledge links (nil: it can).
    static func ackKeyProblem(_ key: String) -> ConfigProblem? {
        let count = key.utf8.count
        guard count < minimumAckKeyBytes else { return nil }
        return ConfigProblem(
            line: nil,
            message: count == 0 ? "OUTCRY_ACK_KEY is set but empty: acknowledge links would be signed with an empty key"
                : "OUTCRY_ACK_KEY is \(count) bytes long; acknowledge links need a key of at least \(minimumAckKeyBytes) bytes",
            hint: "set it to at least 32 random characters (e.g. `openssl rand -hex 32`), or unset it to use the key Outcry keeps in the data directory")
    }

    /// The alert services for a store: the dispatcher always, the clocks when alerting is configured.
    func alertServices(store: Store, client: FetchClient, settings: AlertSettings?, clock: any WallClock = SystemWallClock()) -> (AlertDispatcher, AlertClockService?) {
        let dispatcher = AlertDispatcher(store: store, settings: settings, notifier: Notifier(client: client, logger: logger),
                                         clock: clock, logger: logger)
        return (dispatcher, settings.map { AlertClockService(store: store, settings: $0, clock: clock, logger: logger) })
    }
}
