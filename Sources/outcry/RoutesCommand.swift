import ArgumentParser
import Foundation
import OutcryAlerting
import OutcryApp
import OutcryModel
import OutcryPipeline

struct RoutesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "routes", abstract: "Inspect the routing tree.", subcommands: [RoutesTestCommand.self]
    )
}

struct RoutesTestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Show which routes a sample alert (or a stored thread) reaches, why, and what happens to it."
    )

    @OptionGroup var options: GlobalOptions

    @Option(help: "Use a stored thread instead of flags.")
    var thread: Int64?

    @Option(help: "P1, P2, P3, P4 or none.")
    var severity: String = "P2"

    @Option(help: "Urgency categories (repeatable): legal, safety, privacy, regulator, press, churn, …")
    var urgency: [String] = []

    @Option(help: "feed, social or mail.")
    var channel: String = "social"

    @Option var brand: String?
    @Option var segment: String?
    @Option var source: String = "sample"
    @Option(help: "new_thread, escalation, sla_warning, sla_breach or crisis.")
    var kind: String = "new_thread"

    @Option(help: "Brands currently in crisis (repeatable).")
    var crisis: [String] = []

    @Option(help: "Evaluate at this instant (ISO 8601), for quiet hours; default now.")
    var at: String?

    func run() async throws {
        let config = try options.load()
        guard let section = config.alerting else {
            Terminal.error("the configuration has no routes: (alerting is not configured)")
            throw ExitCode(ExitCodes.configOrStore)
        }
        let tree = try section.config.routingTree()
        var now = Date()
        if let at {
            guard let d = ISO8601DateFormatter().date(from: at) else { throw ValidationError("--at: '\(at)' is not an ISO 8601 instant") }
            now = d
        }
        let alert: ThreadAlert
        var crisisBrands = Set(crisis)
        if let thread {
            let (facts, open) = try await withStore(config) { store in (try await store.threadAlertFacts(thread), try await store.declaredCrisisBrands()) }
            crisisBrands.formUnion(open)
            alert = ThreadAlert(id: "t\(thread)", threadID: String(thread), kind: AlertKind(rawValue: kind) ?? .newThread, title: facts.thread.title,
                                severity: facts.thread.severity, urgency: facts.urgency, brand: brand ?? facts.thread.brand, source: facts.thread.sourceName,
                                channel: facts.thread.channel, segment: segment ?? facts.thread.segment, language: facts.language, firedAt: now)
        } else {
            guard let sev = Severity(rawValue: severity) else { throw ValidationError("--severity: '\(severity)' is not P1, P2, P3, P4 or none") }
            guard let ch = Channel(rawValue: channel) else { throw ValidationError("--channel: '\(channel)' is not feed, social or mail") }
            let urg = try urgency.map { u in
                guard let c = UrgencyCategory(rawValue: u) else { throw ValidationError("--urgency: '\(u)' is not an urgency category") }
                return c
            }
            guard let k = AlertKind(rawValue: kind) else { throw ValidationError("--kind: '\(kind)' is not an alert kind") }
            alert = ThreadAlert(id: "sample", threadID: "sample", kind: k, title: "sample alert", severity: sev, urgency: urg, brand: brand,
                                source: source, channel: ch, segment: segment, firedAt: now)
        }
        Terminal.out(Self.explain(tree.decide(alert, crisisBrands: crisisBrands, now: now), now: now), terminator: "")
    }

    static func explain(_ decisions: [RoutingDecision], now: Date) -> String {
        var out = ""
        for d in decisions {
            out += "→ \(d.match.receiver)  (route \(d.match.route.id), group \(d.match.groupKey))\n"
            for r in d.reasons { out += "    \(r)\n" }
            switch d.action {
            case .deliver(let at):
                out += at > now ? "    decision: deliver at \(at.formatted(.iso8601)) (held)\n" : "    decision: deliver now\n"
            case .foldIntoCrisis(let brand):
                out += "    decision: fold into the crisis alert of \(brand)\n"
            }
        }
        return out
    }
}
