import Foundation
import OutcryModel
import Yams

/// Reads and validates `outcry.yaml`, collecting every problem (with its line) instead of
/// stopping at the first.
///
/// ```swift
/// let config = try ConfigLoader.load(path: "config/outcry.yaml")
/// ```
public enum ConfigLoader {
    /// Loads the file at `path`; throws ``ConfigError`` listing every problem found.
    public static func load(path: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> OutcryConfig {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigError(path: path, problems: [ConfigProblem(line: nil, message: "cannot read the file", hint: "run `outcry init` to write a starter config, or pass --config PATH")])
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigError(path: path, problems: [ConfigProblem(line: nil, message: "the file is not UTF-8 text", hint: "save it as UTF-8")])
        }
        return try parse(text, path: path, environment: environment)
    }

    /// Parses configuration text; `path` names it in errors and anchors relative paths.
    public static func parse(_ text: String, path: String, environment: [String: String] = [:]) throws -> OutcryConfig {
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw ConfigError(path: path, problems: [yamlProblem(error)])
        } catch {
            throw ConfigError(path: path, problems: [ConfigProblem(line: nil, message: "not valid YAML: \(error)", hint: nil)])
        }
        var reader = ConfigReader(environment: environment, baseDirectory: (absolute(path) as NSString).deletingLastPathComponent)
        var config = reader.read(node, path: absolute(path))
        config.warnings = reader.warnings.enumerated().sorted { ($0.element.line ?? 0, $0.offset) < ($1.element.line ?? 0, $1.offset) }.map(\.element)
        if !reader.problems.isEmpty {
            let ordered = reader.problems.enumerated().sorted { ($0.element.line ?? 0, $0.offset) < ($1.element.line ?? 0, $1.offset) }
            throw ConfigError(path: path, problems: ordered.map(\.element))
        }
        return config
    }

    public static func absolute(_ path: String) -> String {
        path.hasPrefix("/") ? path : (FileManager.default.currentDirectoryPath as NSString).appendingPathComponent(path)
    }

    private static func yamlProblem(_ error: YamlError) -> ConfigProblem {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            let where_ = context.map { " \($0.text)" } ?? ""
            return ConfigProblem(line: mark.line, column: mark.column, message: "YAML syntax: \(problem)\(where_)",
                                 hint: "check the indentation and that every `key: value` has a space after the colon")
        default:
            return ConfigProblem(line: nil, message: "YAML: \(error)", hint: nil)
        }
    }
}

/// One thing wrong in the configuration, where it is, and what to write instead.
public struct ConfigProblem: Sendable, Equatable, CustomStringConvertible {
    public var line: Int?
    public var column: Int?
    public var message: String
    public var hint: String?

    public init(line: Int?, column: Int? = nil, message: String, hint: String?) {
        self.line = line
        self.column = column
        self.message = message
        self.hint = hint
    }

    public var description: String {
        let place = line.map { "line \($0): " } ?? ""
        return place + message + (hint.map { " — \($0)" } ?? "")
    }
}

/// The configuration could not be used; `problems` says every reason.
public struct ConfigError: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var problems: [ConfigProblem]

    public var description: String {
        problems.map { "\(path):\($0.line.map { "\($0):" } ?? "") \($0.message)\($0.hint.map { " — \($0)" } ?? "")" }
            .joined(separator: "\n")
    }
}
