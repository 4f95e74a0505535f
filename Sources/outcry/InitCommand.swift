import ArgumentParser
import Foundation
import OutcryApp

struct InitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init", abstract: "Write a starter configuration file."
    )

    @Argument(help: "Where to write it.")
    var path: String = "config/outcry.yaml"

    @Flag(help: "Overwrite an existing file.")
    var force = false

    func run() async throws {
        if FileManager.default.fileExists(atPath: path) && !force {
            Terminal.error("\(path) already exists; pass --force to overwrite it")
            throw ExitCode(ExitCodes.configOrStore)
        }
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
        try Data(StarterConfig.text.utf8).write(to: URL(fileURLWithPath: path))
        Terminal.out("wrote \(path) — edit the brand and sources, then run `outcry config check --config \(path)`")
    }
}
