import ArgumentParser
import Foundation
import OutcryApp

/// `outcry crisis list|declare|end`: the brands' crises (detected spikes and declared ones).
struct CrisisCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "crisis",
        abstract: "A brand's crises: list them, declare one, end one (while declared, the brand's alerts fold into the crisis alert).",
        subcommands: [CrisisListCommand.self, CrisisDeclareCommand.self, CrisisEndCommand.self],
        defaultSubcommand: CrisisListCommand.self
    )
}

struct CrisisListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "Open crises first, then the recent ones.")

    @OptionGroup var global: GlobalOptions
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        let config = try global.load()
        let crises = try await withDesk(config) { try await $0.crises(limit: 100) }
        if json {
            let rows: [[String: String]] = crises.map { c in
                var row = ["id": String(c.id), "brand": c.brand, "status": c.open ? "open" : "ended", "origin": c.origin,
                           "started_at": c.startedAt.formatted(.iso8601), "summary": c.summary, "opened_by": c.openedBy,
                           "folded_alerts": String(c.folded), "top_terms": c.topTerms.joined(separator: ", ")]
                if let end = c.endedAt { row["ended_at"] = end.formatted(.iso8601) }
                if let by = c.endedBy { row["ended_by"] = by }
                return row
            }
            let data = try JSONSerialization.data(withJSONObject: rows, options: [.sortedKeys, .prettyPrinted])
            print(String(decoding: data, as: UTF8.self))
            return
        }
        if crises.isEmpty {
            Terminal.out("no crises")
            return
        }
        for c in crises {
            let state = c.open ? "OPEN" : "ended \(c.endedAt?.formatted(.iso8601) ?? "") by \(c.endedBy ?? "?")"
            Terminal.out("#\(c.id) \(c.brand) — \(state) — \(c.origin) \(c.startedAt.formatted(.iso8601)) by \(c.openedBy)")
            Terminal.out("    \(c.summary)")
            if !c.exampleIDs.isEmpty { Terminal.out("    example mentions: \(c.exampleIDs.joined(separator: ", "))") }
            if c.folded > 0 { Terminal.out("    \(c.folded) individual alerts folded into it") }
        }
    }
}

struct CrisisDeclareCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "declare", abstract: "Declare a crisis for a brand (or confirm a detected one): its individual alerts fold into the crisis alert.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The brand, as named in `brands:`.") var brand: String
    @Option(help: "Who declares it, recorded as cli:NAME (NAME: --by, else $OUTCRY_USER, else $USER).") var by: String?
    @Option(help: "What is going on.") var note: String?

    func run() async throws {
        let config = try global.load()
        let by = Actor.resolve(by: self.by)
        guard config.brands.contains(where: { $0.name == brand }) else {
            Terminal.error("no brand '\(brand)' in \(global.configPath) (brands: \(config.brands.map(\.name).joined(separator: ", ")))")
            throw ExitCode(ExitCodes.someSourcesFailed)
        }
        let id = try await withDesk(config, actions: true) { try await $0.declareCrisis(brand: brand, by: by, note: note) }
        Terminal.out("crisis #\(id) of \(brand) declared by \(by): its alerts now fold into the crisis alert (`outcry crisis end '\(brand)'` to stop)")
    }
}

struct CrisisEndCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "end", abstract: "End a brand's open crisis: its alerts are delivered again.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The brand.") var brand: String
    @Option(help: "Who ends it, recorded as cli:NAME (NAME: --by, else $OUTCRY_USER, else $USER).") var by: String?
    @Option(help: "Why.") var note: String?

    func run() async throws {
        let config = try global.load()
        let by = Actor.resolve(by: self.by)
        do {
            let crisis = try await withDesk(config) { try await $0.endCrisis(brand: brand, by: by, note: note) }
            Terminal.out("crisis #\(crisis.id) of \(brand) ended by \(by) (\(crisis.folded) alerts had been folded into it)")
        } catch let error as DeskError {
            Terminal.error(error.description)
            throw ExitCode(ExitCodes.someSourcesFailed)
        }
    }
}
