import Foundation
import OutcryModel

/// Parses the three HTTP-date forms of RFC 9110 §5.6.7, always in GMT, without locale-dependent
/// formatters: IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`), RFC 850
/// (`Sunday, 06-Nov-94 08:49:37 GMT`) and asctime (`Sun Nov  6 08:49:37 1994`).
public enum HTTPDate {
    private static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

    /// The date, or nil if `string` is none of the three forms.
    public static func parse(_ string: String) -> Date? {
        let tokens = string.split(whereSeparator: { $0 == " " || $0 == "," || $0 == "\t" }).map(String.init)
        guard tokens.count >= 4 else { return nil }
        var day: Int?, month: Int?, year: Int?, time: (Int, Int, Int)?
        if tokens[1].contains("-") {  // RFC 850: weekday, dd-Mon-yy, time, GMT
            let parts = tokens[1].split(separator: "-").map(String.init)
            guard parts.count == 3 else { return nil }
            day = Int(parts[0]); month = monthNumber(parts[1]); year = Int(parts[2])
            time = clock(tokens[2])
            if let y = year, parts[2].count == 2 { year = y < 70 ? 2000 + y : 1900 + y }
        } else if let m = monthNumber(tokens[1]) {  // asctime: weekday, Mon, d, time, yyyy
            guard tokens.count >= 5 else { return nil }
            month = m; day = Int(tokens[2]); time = clock(tokens[3]); year = Int(tokens[4])
        } else {  // IMF-fixdate: weekday, dd, Mon, yyyy, time, GMT
            guard tokens.count >= 5 else { return nil }
            day = Int(tokens[1]); month = monthNumber(tokens[2]); year = Int(tokens[3]); time = clock(tokens[4])
        }
        guard let day, let month, let year, let (h, m, s) = time,
              (1...31).contains(day), (0...23).contains(h), (0...59).contains(m), (0...60).contains(s)
        else { return nil }
        let days = CivilCalendar.days(fromCivil: year, month, day)
        return Date(timeIntervalSince1970: TimeInterval(days * 86_400 + h * 3_600 + m * 60 + s))
    }

    private static func monthNumber(_ token: String) -> Int? {
        guard token.count == 3 else { return nil }
        return months.firstIndex(of: token.lowercased()).map { $0 + 1 }
    }

    private static func clock(_ token: String) -> (Int, Int, Int)? {
        let parts = token.split(separator: ":")
        guard parts.count == 3, let h = Int(parts[0]), let m = Int(parts[1]), let s = Int(parts[2]) else {
            return nil
        }
        return (h, m, s)
    }
}
