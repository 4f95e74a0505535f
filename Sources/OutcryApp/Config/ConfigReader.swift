import Foundation
import OutcryAlerting
import OutcryModel
import OutcryParse
import OutcryPipeline
import OutcryScoring
import Yams

/// Walks the YAML node tree, turning it into an ``OutcryConfig`` and noting every problem.
struct ConfigReader {
    let environment: [String: String]
    let baseDirectory: String
    var problems: [ConfigProblem] = []
    /// Things that work but should not be so (a secret written in clear, the web server open to
    /// the network): `config check` prints them; they never stop Outcry.
    var warnings: [ConfigProblem] = []
    /// Where each source named its brand, to point at it when no such brand exists.
    var sourceBrandLines: [String: Mark?] = [:]

    init(environment: [String: String], baseDirectory: String) {
        self.environment = environment
        self.baseDirectory = baseDirectory
    }

    static let topKeys = ["data_dir", "database", "sources", "brands", "polling", "contacts", "retention", "crisis", "scoring", "web", "workers"] + alertingKeys  // contacts.swift, AlertingSection.swift
    static let sourceKeys = ["name", "url", "kind", "interval", "options", "brand"]
    static let brandKeys = ["name", "keywords", "own_handles", "query"]
    static let crisisKeys = ["sensitivity", "warmup_hours", "check_every", "alpha", "min_baseline"]
    static let pollingKeys = [
        "default_interval", "max_concurrent", "max_per_host", "backoff_cap", "down_after", "connect_timeout", "timeout",
        "max_body_bytes", "alert_on_backlog", "thread_window",
    ]

    mutating func read(_ root: Node?, path: String) -> OutcryConfig {
        var config = OutcryConfig(dataDirectory: resolve("../data"), sources: [], path: path)
        guard let root else {
            problem(nil, "the file is empty", hint: "start from `outcry init`, which writes a commented example")
            return config
        }
        guard let top = mapping(root, "the top level") else { return config }
        checkKeys(top, allowed: Self.topKeys, in: "the top level")
        if let node = top["data_dir"], let dir = string(node, "data_dir") { config.dataDirectory = resolve(dir) }
        if let node = top["database"] { config.database = readDatabase(node) }
        if let node = top["polling"] { config.polling = readPolling(node) }
        if let node = top["sources"] { config.sources = readSources(node, defaultInterval: config.polling.defaultInterval) }
        else { problem(top.mark, "no `sources:`", hint: "add a list of sources, each with name, url and kind") }
        if let node = top["brands"] { config.brands = readBrands(node) }
        checkSourceBrands(config)
        if let node = top["crisis"] { config.crisis = readCrisis(node) }
        if let node = top["scoring"] { config.scoring = readScoring(node) }
        if let node = top["web"] { config.web = readWeb(node) }
        if let node = top["workers"] { config.workers = readWorkers(node) }
        // See ContactsConfig.swift
        if let node = top["contacts"] { config.contacts = readContacts(node) }
        if let node = top["retention"] { config.retention = readRetention(node) }
        config.alerting = readAlerting(top)  // alerting sections
        return config
    }

    // MARK: sections

    /// `database:` — absent for SQLite in `data_dir`; `postgres://user:${PGPASSWORD}@host:port/name`
    /// for PostgreSQL (the password from the environment, never written in the file).
    mutating func readDatabase(_ node: Node) -> String? {
        guard case .scalar(let scalar) = node else {
            problem(node.mark, "`database` should be a single value", hint: "write `database: postgres://user:${PGPASSWORD}@host:5432/outcry`")
            return nil
        }
        let written = scalar.string
        guard let url = string(node, "database") else { return nil }
        if url.isEmpty || url == "sqlite" { return nil }
        let lower = url.lowercased()
        guard lower.hasPrefix("postgres://") || lower.hasPrefix("postgresql://"),
              let components = URLComponents(string: url), components.host?.isEmpty == false, components.user?.isEmpty == false else {
            problem(node.mark, "`database` is not a PostgreSQL address",
                    hint: "write `database: postgres://user:${PGPASSWORD}@host:5432/outcry`, or leave it out for SQLite in data_dir")
            return nil
        }
        if let password = URLComponents(string: written)?.password, !password.isEmpty, !password.contains("${") {
            warning(node.mark, "`database` carries a password written in clear in the file",
                    hint: "write `postgres://user:${PGPASSWORD}@…` and export PGPASSWORD in the environment")
        }
        return url
    }

    mutating func readSources(_ node: Node, defaultInterval: TimeInterval) -> [SourceConfig] {
        guard let list = sequence(node, "sources") else { return [] }
        var sources: [SourceConfig] = []
        var seen: [String: Int] = [:]
        for item in list {
            guard let map = mapping(item, "a source") else { continue }
            checkKeys(map, allowed: Self.sourceKeys, in: "a source")
            guard let name = requiredString(map, "name", in: "a source") else { continue }
            if let line = seen[name] {
                problem(map["name"]?.mark, "source name '\(name)' is used twice (first on line \(line))", hint: "give each source its own name")
                continue
            }
            seen[name] = map["name"]?.mark?.line ?? 0
            guard let url = requiredString(map, "url", in: "source '\(name)'") else { continue }
            var kind = SourceKind.feed
            if let kindNode = map["kind"], let text = string(kindNode, "kind") {
                if let parsed = SourceKind(rawValue: text.lowercased()) { kind = parsed }
                else {
                    problem(kindNode.mark, "unknown source kind '\(text)'",
                            hint: "write one of: \(SourceKind.allCases.map(\.rawValue).joined(separator: ", "))\(suggestion(text, SourceKind.allCases.map(\.rawValue)))")
                }
            }
            let interval = map["interval"].flatMap { duration($0, "interval") } ?? defaultInterval
            var options: [String: String] = [:]
            var optionNodes: [String: (key: Node, value: Node)] = [:]
            var unreadable: Set<String> = []  // options whose value already has a problem (say, an unset ${ENV})
            if let optionsNode = map["options"], let optionsMap = mapping(optionsNode, "options") {
                for (key, value) in optionsMap {
                    guard let k = key.string else { continue }
                    optionNodes[k] = (key, value)
                    let before = problems.count
                    if let v = string(value, k) { options[k] = v }
                    if problems.count > before { unreadable.insert(k) }
                }
            }
            if kind == .imap || kind == .pop3 {
                checkMailbox(name: name, kind: kind, url: url, urlNode: map["url"], sourceMark: map.mark, options: options,
                             nodes: optionNodes, unreadable: unreadable)
            }
            if kind == .feed || kind == .json {
                checkSourceURL(name: name, kind: kind.rawValue, url: url, node: map["url"], fallback: map.mark)
            }
            if kind == .json {
                do {
                    _ = try JSONMapping.from(options: options)
                } catch {
                    problem(map["options"]?.mark ?? map.mark, "source '\(name)': \(error)",
                            hint: "e.g. `options: { preset: mastodon }` (presets: \(JSONMapping.presetNames.joined(separator: ", ")))")
                }
            }
            var brand: String?
            if let brandNode = map["brand"], let text = string(brandNode, "brand") {
                brand = text
                sourceBrandLines[name] = brandNode.mark
            }
            sources.append(SourceConfig(name: name, url: resolveURL(url), kind: kind, interval: interval, options: options, brand: brand))
        }
        return sources
    }

    /// A source's `brand:` must name a configured brand.
    mutating func checkSourceBrands(_ config: OutcryConfig) {
        let names = config.brands.map(\.name)
        for source in config.sources {
            guard let brand = source.brand, !names.contains(brand) else { continue }
            problem(sourceBrandLines[source.name] ?? nil, "source '\(source.name)' names brand '\(brand)', which is not in `brands:`",
                    hint: names.isEmpty ? "add it to `brands:`" : "write one of: \(names.joined(separator: ", "))\(suggestion(brand, names))")
        }
    }

    mutating func readCrisis(_ node: Node) -> CrisisSettings {
        var settings = CrisisSettings()
        guard let map = mapping(node, "crisis") else { return settings }
        checkKeys(map, allowed: Self.crisisKeys, in: "crisis")
        if let n = map["sensitivity"], let text = string(n, "sensitivity") {
            if let level = CrisisSensitivity(rawValue: text.lowercased()) { settings.sensitivity = level }
            else { problem(n.mark, "unknown crisis sensitivity '\(text)'", hint: "write low, medium or high") }
        }
        if let n = map["warmup_hours"], let v = integer(n, "warmup_hours", min: 0) { settings.warmupHours = v }
        if let n = map["alpha"], let v = number(n, "alpha", range: 0.001...1) { settings.alpha = v }
        if let n = map["min_baseline"], let v = number(n, "min_baseline", range: 0...1_000_000) { settings.minBaseline = v }
        if let n = map["check_every"], let d = duration(n, "check_every") { settings.checkEvery = d }
        return settings
    }

    /// An `imap`/`pop3` source: its URL (scheme, host, port, folder) and options (credentials,
    /// tls, since, move_to, …) as the mail poller will read them, each problem on its own line.
    /// The password must come from the environment (`${NAME}`), never be written in the file.
    mutating func checkMailbox(
        name: String, kind: SourceKind, url: String, urlNode: Node?, sourceMark: Mark?, options: [String: String],
        nodes: [String: (key: Node, value: Node)], unreadable: Set<String>
    ) {
        if let password = nodes["password"]?.value, case .scalar(let scalar) = password, !scalar.string.isEmpty,
           !scalar.string.contains("${") {
            problem(password.mark, "source '\(name)': the mailbox password is written in the file",
                    hint: "secrets come from the environment: write `password: \"${\(Self.envName(name))_PASSWORD}\"` and export that variable")
        }
        for problem in MailboxOptions.checkSource(kind: kind.rawValue, url: url, options: options) {
            if let key = problem.key, unreadable.contains(key) { continue }
            let mark: Mark?
            let hint: String?
            switch problem.key {
            case "url"?:
                mark = urlNode?.mark ?? sourceMark
                hint = kind == .imap ? "e.g. `url: imaps://mail.example.com/INBOX`" : "e.g. `url: pop3s://mail.example.com`"
            case let key?:
                mark = nodes[key].map { MailboxOptions.keys.contains(key) ? $0.value.mark : $0.key.mark } ?? sourceMark
                hint = nil
            case nil:
                mark = sourceMark
                hint = "add it under `options:`, e.g. `options: { username: support, password: \"${\(Self.envName(name))_PASSWORD}\" }`"
            }
            self.problem(mark, "source '\(name)': \(problem.description)",
                         hint: hint ?? (problem.key.flatMap { MailboxOptions.keys.contains($0) ? nil : suggestion($0, MailboxOptions.keys) }.map { "check the spelling\($0)" }))
        }
    }

    /// `support-inbox` → `SUPPORT_INBOX`, for suggesting an environment variable.
    static func envName(_ sourceName: String) -> String {
        String(sourceName.uppercased().map { $0.isLetter || $0.isNumber ? $0 : "_" })
    }

    mutating func readBrands(_ node: Node) -> [Brand] {
        guard let list = sequence(node, "brands") else { return [] }
        var brands: [Brand] = []
        for item in list {
            guard let map = mapping(item, "a brand") else { continue }
            checkKeys(map, allowed: Self.brandKeys, in: "a brand")
            guard let name = requiredString(map, "name", in: "a brand") else { continue }
            let keywords = map["keywords"].map { strings($0, "keywords") } ?? [name]
            let own = map["own_handles"].map { strings($0, "own_handles") } ?? []
            let query = map["query"].flatMap { string($0, "query") }
            do {
                _ = try BrandTagger([BrandTagger.Rule(name: name, keywords: keywords, query: query)])
            } catch {
                problem((error.field == "query" ? map["query"] : map["keywords"])?.mark ?? map.mark, "\(error)",
                        hint: "queries use AND, OR, NOT, \"phrases\", (…), word*, a NEAR/3 b and author:/source:/lang:/text: fields")
            }
            brands.append(Brand(name: name, keywords: keywords, ownHandles: own, query: query))
        }
        return brands
    }

    mutating func readPolling(_ node: Node) -> PollerSettings {
        var settings = PollerSettings()
        guard let map = mapping(node, "polling") else { return settings }
        checkKeys(map, allowed: Self.pollingKeys, in: "polling")
        if let n = map["default_interval"], let v = duration(n, "default_interval") { settings.defaultInterval = v }
        if let n = map["max_concurrent"], let v = integer(n, "max_concurrent", min: 1) { settings.maxConcurrent = v }
        if let n = map["max_per_host"], let v = integer(n, "max_per_host", min: 1) { settings.maxPerHost = v }
        if let n = map["backoff_cap"], let v = duration(n, "backoff_cap") { settings.backoffCap = v }
        if let n = map["down_after"], let v = duration(n, "down_after") { settings.downAfter = v }
        if let n = map["connect_timeout"], let v = duration(n, "connect_timeout") { settings.connectTimeout = v }
        if let n = map["timeout"], let v = duration(n, "timeout") { settings.timeout = v }
        if let n = map["max_body_bytes"], let v = integer(n, "max_body_bytes", min: 1024) { settings.maxBodyBytes = v }
        if let n = map["thread_window"], let v = duration(n, "thread_window") { settings.threadWindow = v }
        if let n = map["alert_on_backlog"], let v = boolean(n, "alert_on_backlog") { settings.alertOnBacklog = v }
        return settings
    }

    /// `workers: { lease: 60s }`: how long a worker's claim on a source or a singleton lasts
    /// without its heartbeat, so how soon a dead worker's work is taken over.
    mutating func readWorkers(_ node: Node) -> LeaseSettings {
        var settings = LeaseSettings()
        guard let map = mapping(node, "workers") else { return settings }
        checkKeys(map, allowed: ["lease"], in: "workers")
        if let n = map["lease"], let v = duration(n, "lease") {
            if v < 1 { problem(n.mark, "`workers.lease` must be at least 1s", hint: "60s is a good value: a dead worker's work is taken over a minute later") }
            else { settings.lease = v }
        }
        return settings
    }

    // MARK: typed values

    mutating func mapping(_ node: Node, _ what: String) -> Node.Mapping? {
        if case .mapping(let map) = node { return map }
        problem(node.mark, "\(what) should be a mapping of `key: value` lines", hint: nil)
        return nil
    }

    mutating func sequence(_ node: Node, _ what: String) -> Node.Sequence? {
        if case .sequence(let seq) = node { return seq }
        problem(node.mark, "`\(what)` should be a list (lines starting with `- `)", hint: nil)
        return nil
    }

    mutating func string(_ node: Node, _ key: String) -> String? {
        guard case .scalar(let scalar) = node else {
            problem(node.mark, "`\(key)` should be a single value", hint: nil)
            return nil
        }
        return substitute(scalar.string, mark: node.mark, key: key)
    }

    mutating func requiredString(_ map: Node.Mapping, _ key: String, in what: String) -> String? {
        guard let node = map[key] else {
            problem(map.mark, "\(what) has no `\(key)`", hint: "add `\(key): …`")
            return nil
        }
        guard let value = string(node, key), !value.isEmpty else {
            problem(node.mark, "`\(key)` is empty", hint: nil)
            return nil
        }
        return value
    }

    mutating func strings(_ node: Node, _ key: String) -> [String] {
        if case .scalar = node { return string(node, key).map { [$0] } ?? [] }
        guard let list = sequence(node, key) else { return [] }
        return list.compactMap { string($0, key) }
    }

    mutating func integer(_ node: Node, _ key: String, min: Int) -> Int? {
        guard let text = string(node, key) else { return nil }
        guard let value = Int(text.replacingOccurrences(of: "_", with: "")), value >= min else {
            problem(node.mark, "`\(key)` should be a whole number ≥ \(min), not '\(text)'", hint: nil)
            return nil
        }
        return value
    }

    mutating func boolean(_ node: Node, _ key: String) -> Bool? {
        guard let text = string(node, key) else { return nil }
        switch text.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default:
            problem(node.mark, "`\(key)` should be true or false, not '\(text)'", hint: nil)
            return nil
        }
    }

    /// A duration in the one syntax every duration field shares (``ConfigDuration``): `90s`,
    /// `15m`, `1h30m`, `2d`, `1w`, `500ms`, or plain seconds; above zero.
    mutating func duration(_ node: Node, _ key: String) -> TimeInterval? {
        guard let text = string(node, key) else { return nil }
        do {
            let value = try ConfigDuration(parsing: text).seconds
            if value > 0 { return value }
            problem(node.mark, "`\(key)` should be above zero, not '\(text)'", hint: nil)
        } catch let error as AlertingConfigError {
            problem(node.mark, "`\(key)`: \(error.message)", hint: "durations are numbers with units, largest first: 90s, 15m, 1h30m, 2d, 1w")
        } catch {
            problem(node.mark, "`\(key)` should be a duration such as 90s, 15m, 1h30m or 1d, not '\(text)'", hint: nil)
        }
        return nil
    }

    // MARK: helpers

    mutating func checkKeys(_ map: Node.Mapping, allowed: [String], in what: String) {
        for (key, _) in map {
            guard let name = key.string else { continue }
            if !allowed.contains(name) {
                problem(key.mark, "unknown key `\(name)` in \(what)",
                        hint: "allowed keys: \(allowed.joined(separator: ", "))\(suggestion(name, allowed))")
            }
        }
    }

    func suggestion(_ word: String, _ candidates: [String]) -> String {
        let best = candidates.map { ($0, Self.editDistance(word.lowercased(), $0)) }.min { $0.1 < $1.1 }
        guard let best, best.1 <= max(2, word.count / 3) else { return "" }
        return " (did you mean `\(best.0)`?)"
    }

    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in stride(from: 1, through: b.count, by: 1) {
                current[j] = Swift.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }

    /// `${NAME}` takes the value of an environment variable; secrets never live in the file.
    mutating func substitute(_ text: String, mark: Mark?, key: String) -> String {
        guard text.contains("${") else { return text }
        var result = ""
        var rest = Substring(text)
        while let start = rest.range(of: "${") {
            result += rest[..<start.lowerBound]
            guard let end = rest[start.upperBound...].firstIndex(of: "}") else {
                problem(mark, "`\(key)` has `${` without a closing `}`", hint: "write ${NAME}")
                return text
            }
            let name = String(rest[start.upperBound..<end])
            if let value = environment[name] {
                result += value
            } else {
                problem(mark, "`\(key)` uses ${\(name)}, but the environment variable \(name) is not set",
                        hint: "export \(name)=… before running outcry")
            }
            rest = rest[rest.index(after: end)...]
        }
        return result + rest
    }

    mutating func problem(_ mark: Mark?, _ message: String, hint: String?) {
        problems.append(ConfigProblem(line: mark?.line, column: mark?.column, message: message, hint: hint))
    }

    mutating func warning(_ mark: Mark?, _ message: String, hint: String?) {
        warnings.append(ConfigProblem(line: mark?.line, column: mark?.column, message: message, hint: hint))
    }

    func resolve(_ path: String) -> String {
        let expanded = (path as NSString).expandingTildeInPath
        let joined = expanded.hasPrefix("/") ? expanded : (baseDirectory as NSString).appendingPathComponent(expanded)
        return (joined as NSString).standardizingPath
    }

    /// URLs keep their scheme; a bare path is a local file relative to the config's folder.
    func resolveURL(_ url: String) -> String {
        if url.contains("://") { return url }
        return URL(fileURLWithPath: resolve(url)).absoluteString
    }
}
