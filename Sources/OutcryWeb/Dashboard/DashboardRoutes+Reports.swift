import Foundation
import Hummingbird
import OutcryApp
import OutcryModel

/// The reports page: every figure aggregated by the database over the last `days`
/// days (1–366, 30 by default), each as a server-drawn SVG chart with its table beside it and a
/// CSV download (recorded in the audit log). Anyone signed in reads it.
extension DashboardRoutes {
    struct ReportSection {
        var file: String, title: String, note: String, header: [String], rows: [[String]], bars: [ReportCharts.Bar]
    }

    static func reportSections(_ r: ReportFigures) -> [ReportSection] {
        func percent(_ part: Int, _ whole: Int) -> String { whole == 0 ? "-" : String(format: "%.0f%%", Double(part) * 100 / Double(whole)) }
        let totalResponses = r.responseTimes.reduce(0) { $0 + $1.threads }
        var brandTotals: [String: Int] = [:], sentimentSums: [String: (sum: Double, n: Int)] = [:]
        for v in r.volume {
            brandTotals[v.brand, default: 0] += v.mentions
            if let mean = v.meanSentiment { sentimentSums[v.brand, default: (0, 0)].sum += mean * Double(v.mentions); sentimentSums[v.brand, default: (0, 0)].n += v.mentions }
        }
        func sentiment(_ brand: String) -> String {
            guard let s = sentimentSums[brand], s.n > 0 else { return "-" }
            return String(format: "%+.2f", s.sum / Double(s.n))
        }
        func crises(_ brand: String) -> String {
            let marks = r.crises.filter { $0.brand == brand }.map { "\($0.origin) \($0.day)" }
            return marks.isEmpty ? "-" : marks.joined(separator: "; ")
        }
        let brands = Set(brandTotals.keys).union(r.crises.map(\.brand)).sorted()
        return [
            ReportSection(
                file: "response-times.csv", title: "Response times",
                note: "Threads opened in the window by the time to their first acknowledgement or response.",
                header: ["first response", "threads", "share"],
                rows: r.responseTimes.map { [$0.bucket, String($0.threads), percent($0.threads, totalResponses)] },
                bars: r.responseTimes.map { .init(label: $0.bucket, value: Double($0.threads), text: String($0.threads)) }),
            ReportSection(
                file: "sla-attainment.csv", title: "SLA attainment",
                note: "Per day of opening: threads with a first-response target and the share answered within it (wall-clock time).",
                header: ["day", "threads", "within target", "attainment"],
                rows: r.attainment.map { [$0.day, String($0.threads), String($0.withinTarget), percent($0.withinTarget, $0.threads)] },
                bars: r.attainment.map { .init(label: $0.day, value: $0.threads == 0 ? 0 : Double($0.withinTarget) / Double($0.threads),
                                               text: percent($0.withinTarget, $0.threads)) }),
            ReportSection(
                file: "volume.csv", title: "Volume per brand",
                note: "Mentions per brand in the window with their mean sentiment; crises detected or declared are marked (✱ on the chart). The CSV has them per day.",
                header: ["brand", "mentions", "mean sentiment", "crises"],
                rows: brands.map { [$0, String(brandTotals[$0] ?? 0), sentiment($0), crises($0)] },
                bars: brands.map { b in
                    let marked = r.crises.contains { $0.brand == b }
                    return .init(label: b, value: Double(brandTotals[b] ?? 0), text: "\(brandTotals[b] ?? 0)" + (marked ? " ✱ crisis" : ""))
                }),
            ReportSection(
                file: "fairness.csv", title: "Fairness by segment",
                note: "Per customer segment: how many threads were answered, how fast on average, and within target.",
                header: ["segment", "threads", "answered", "mean first response", "within target"],
                rows: r.fairness.map { [$0.segment, String($0.threads), String($0.answered),
                                        $0.meanResponseSeconds.map { Age.short($0, precise: true) } ?? "-", percent($0.withinTarget, $0.threads)] },
                bars: r.fairness.map { .init(label: $0.segment, value: $0.meanResponseSeconds ?? 0,
                                             text: $0.meanResponseSeconds.map { Age.short($0, precise: true) } ?? "-") }),
        ]
    }

    static func reportDays(_ request: Request) -> Int? {
        guard let text = request.uri.queryParameters["days"].map(String.init), !text.isEmpty else { return 30 }
        guard let days = Int(text), (1...366).contains(days) else { return nil }
        return days
    }

    func reportsPage(_ request: Request, _ context: WebContext) async throws -> Response {
        let principal = try Self.signedIn(context)
        guard let days = Self.reportDays(request) else {
            return Self.message(.badRequest, title: "Not a window", "days must be a whole number from 1 to 366", back: "/reports", principal: principal)
        }
        let sections: [[String: Any]] = Self.reportSections(try await desk.reports(days: days)).map { s in
            ["file": s.file, "title": s.title, "note": s.note, "header": s.header, "columns": s.header.count, "days": days,
             "rows": s.rows.map { ["cells": $0] as [String: Any] }, "svg": ReportCharts.bars(s.bars, title: s.title)]
        }
        return Self.page(.ok, title: "Reports", template: "reports", ["days": days, "sections": sections], principal: principal)
    }

    func reportFile(_ request: Request, _ context: WebContext) async throws -> Response {
        let principal = try Self.signedIn(context)
        let file = try context.parameters.require("file")
        guard let days = Self.reportDays(request) else {
            return Self.message(.badRequest, title: "Not a window", "days must be a whole number from 1 to 366", back: "/reports", principal: principal)
        }
        let report = try await desk.reports(days: days)
        let csv: String
        if file == "volume.csv" {
            // Per brand and day here (the page shows the totals).
            csv = ReportCharts.csv(["brand", "day", "mentions", "mean sentiment", "crises started"], report.volume.map { v in
                let started = report.crises.filter { $0.brand == v.brand && $0.day == v.day }.map(\.origin)
                return [v.brand, v.day, String(v.mentions), v.meanSentiment.map { String(format: "%+.3f", $0) } ?? "", started.joined(separator: " ")]
            })
        } else if let section = Self.reportSections(report).first(where: { $0.file == file }) {
            csv = ReportCharts.csv(section.header, section.rows)
        } else {
            return Self.message(.notFound, title: "No such report", "There is no report '\(file)'.", back: "/reports", principal: principal)
        }
        try await desk.recordDownload("\(file), last \(days) days", by: ActorName.make(.web, principal.name))
        return Response(status: .ok, headers: [
            .contentType: "text/csv; charset=utf-8", .cacheControl: "no-store",
            .contentDisposition: "attachment; filename=\"\(file)\"",
        ], body: .init(byteBuffer: ByteBuffer(string: csv)))
    }
}
