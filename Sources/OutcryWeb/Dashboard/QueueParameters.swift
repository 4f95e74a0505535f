import Foundation
import Hummingbird
import OutcryApp
import OutcryModel

/// The queue's filters and paging as the query string carries them, for the queue page and
/// `GET /api/threads` alike: `brand`, `channel`, `severity`, `urgency`, `assignee`, `segment`,
/// `status`, `offset`, `limit`. Empty values are ignored; an unknown severity, channel, status
/// or urgency category is an error in words (never silently the whole queue).
struct QueueParameters: Sendable {
    var brand = "", channel = "", severity = "", urgency = "", assignee = "", segment = "", status = ""
    var offset = 0
    var limit: Int
    let defaultLimit: Int

    /// Parses the query string; `defaultLimit` when none is given, at most `maxLimit`.
    init(_ query: [String: String], defaultLimit: Int, maxLimit: Int) throws(QueueParameterError) {
        func value(_ key: String) -> String { (query[key] ?? "").trimmingCharacters(in: .whitespaces) }
        self.defaultLimit = defaultLimit
        brand = value("brand")
        channel = value("channel").lowercased()
        severity = value("severity").uppercased()
        urgency = value("urgency").lowercased()
        assignee = value("assignee")
        segment = value("segment")
        status = value("status").lowercased()
        if !channel.isEmpty, Channel(rawValue: channel) == nil {
            throw QueueParameterError("unknown channel '\(channel)': use \(Channel.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if !severity.isEmpty, Severity(rawValue: severity) == nil {
            throw QueueParameterError("unknown severity '\(severity)': use P1, P2, P3 or P4")
        }
        if !urgency.isEmpty, UrgencyCategory(rawValue: urgency) == nil {
            throw QueueParameterError("unknown urgency '\(urgency)': use \(UrgencyCategory.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if !status.isEmpty, ThreadStatus(rawValue: status) == nil || status == ThreadStatus.resolved.rawValue {
            let open = ThreadStatus.allCases.filter { $0 != .resolved }.map(\.rawValue)
            throw QueueParameterError("unknown status '\(status)': the queue holds open threads (\(open.joined(separator: ", ")))")
        }
        let offsetText = value("offset"), limitText = value("limit")
        if !offsetText.isEmpty {
            guard let n = Int(offsetText), n >= 0 else { throw QueueParameterError("offset must be a whole number, 0 or more") }
            offset = n
        }
        limit = defaultLimit
        if !limitText.isEmpty {
            guard let n = Int(limitText), n >= 1 else { throw QueueParameterError("limit must be a whole number, 1 or more") }
            limit = min(n, maxLimit)
        }
    }

    init(_ request: Request, defaultLimit: Int, maxLimit: Int) throws(QueueParameterError) {
        var query: [String: String] = [:]
        for (key, value) in request.uri.queryParameters { query[String(key)] = String(value) }
        try self.init(query, defaultLimit: defaultLimit, maxLimit: maxLimit)
    }

    var filter: QueueFilter {
        var f = QueueFilter()
        if !brand.isEmpty { f.brands = [brand] }
        if !channel.isEmpty { f.channels = [channel] }
        if let s = Severity(rawValue: severity) { f.severities = [s] }
        if let u = UrgencyCategory(rawValue: urgency) { f.urgencies = [u] }
        if !assignee.isEmpty { f.assignee = assignee }
        if !segment.isEmpty { f.segments = [segment] }
        if let s = ThreadStatus(rawValue: status) { f.statuses = [s] }
        return f
    }

    var isFiltered: Bool { !filter.isEmpty }

    /// The query string of these filters at another offset ("" when nothing is set), for page links.
    func query(offset: Int) -> String {
        var items: [URLQueryItem] = []
        for (key, value) in [("brand", brand), ("channel", channel), ("severity", severity), ("urgency", urgency),
                             ("assignee", assignee), ("segment", segment), ("status", status)] where !value.isEmpty {
            items.append(URLQueryItem(name: key, value: value))
        }
        if limit != defaultLimit { items.append(URLQueryItem(name: "limit", value: String(limit))) }
        if offset > 0 { items.append(URLQueryItem(name: "offset", value: String(offset))) }
        var components = URLComponents()
        components.queryItems = items
        // `+` is a space in a form-encoded query: spell it out.
        return items.isEmpty ? "" : "?" + (components.percentEncodedQuery ?? "").replacingOccurrences(of: "+", with: "%2B")
    }
}

struct QueueParameterError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
