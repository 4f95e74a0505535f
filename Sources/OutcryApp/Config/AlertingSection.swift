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
        var raw: [(Node, Node)] = []
        var resolved: [(Node, Node)] = []
        var dashboard = "http://localhost:8080"
        for key in Self.alertingKeys {
            guard let node = top[key] else { continue }
            if key == "dashboard_url" {
                if let text = string(node, key) { dashboard = text }
                continue
            }
            raw.append((Node(key), node))
            resolved.append((Node(key), substituteAll(node, key: key)))
        }
        let rawConfig: AlertingConfig
        let config: AlertingConfig
        do {
            rawConfig = try YAMLDecoder().decode(AlertingConfig.self, from: try Yams.serialize(node: .mapping(.init(raw))))
            config = try YAMLDecoder().decode(AlertingConfig.self, from: try Yams.serialize(node: .mapping(.init(resolved))))
        } catch let error as DecodingError {
            let (path, message) = Self.describe(error)
            var place = path.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            if place.hasPrefix(".") { place.removeFirst() }
            problem(Self.locate(path, in: top) ?? top.mark, "\(place): \(message)", hint: nil)
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
        checkReceiverSecrets(raw: rawConfig, resolved: config, top: top)
        if let key = environment["OUTCRY_ACK_KEY"], let problem = Application.ackKeyProblem(key) {
            self.problem(nil, problem.message, hint: problem.hint)
        }
        return AlertingSection(config: config, dashboardURL: dashboard.hasSuffix("/") ? String(dashboard.dropLast()) : dashboard)
    }

    /// Secrets of receivers (issue 13): a `${NAME}` that is set but empty is refused (a webhook
    /// would be signed with an empty key, a chat URL would be empty); a chat webhook URL or an
    /// SMTP password written in clear in the file is a warning.
    mutating func checkReceiverSecrets(raw: AlertingConfig, resolved: AlertingConfig, top: Node.Mapping) {
        func mark(_ name: String, _ field: String) -> Mark? {
            guard case .mapping(let receivers)? = top["receivers"], let receiver = receivers[name] else { return top["receivers"]?.mark ?? top.mark }
            guard case .mapping(let fields) = receiver, let node = fields[field] else { return receiver.mark }
            return node.mark
        }
        for name in raw.receivers.keys.sorted() {
            guard let before = raw.receivers[name], let after = resolved.receivers[name] else { continue }
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

    static func describe(_ error: DecodingError) -> ([any CodingKey], String) {
        switch error {
        case .dataCorrupted(let c): return (c.codingPath, c.debugDescription)
        case .keyNotFound(let key, let c): return (c.codingPath, "`\(key.stringValue)` is missing")
        case .typeMismatch(_, let c): return (c.codingPath, c.debugDescription)
        case .valueNotFound(_, let c): return (c.codingPath, c.debugDescription)
        @unknown default: return ([], "\(error)")
        }
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
    func alertServices(store: Store, client: FetchClient, clock: any WallClock = SystemWallClock()) throws -> (AlertDispatcher, AlertClockService?) {
        let settings = try alertSettings()
        let dispatcher = AlertDispatcher(store: store, settings: settings, notifier: Notifier(client: client, logger: logger),
                                         clock: clock, logger: logger)
        return (dispatcher, settings.map { AlertClockService(store: store, settings: $0, clock: clock, logger: logger) })
    }
}
