import Foundation

enum FileManagerFixture {
    /// A fresh empty directory under the system temporary directory.
    static func temporaryDirectory() -> String {
        let path = NSTemporaryDirectory() + "outcry-fetch-tests-" + UUID().uuidString
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}

extension Array where Element == UInt8 {
    func write(to path: String) throws {
        try Data(self).write(to: URL(fileURLWithPath: path))
    }
}
