import Foundation

/// RFC 5322 dates and the obsolete forms still seen in the wild: two- and three-digit years,
/// named zones (`GMT`, `EST`, `CST` … as RFC 5322 §4.3 defines them), no day of week, extra
/// spaces, comments, missing seconds. Years run from 1 to 9999.
public enum MailDate {
    private static let months = ["jan", "feb", "mar", "apr", "may", "jun",
                                 "jul", "aug", "sep", "oct", "nov", "dec"]
    private static let zones: [String: Int] = [
        "UT": 0, "UTC": 0, "GMT": 0, "Z": 0,
        "EST": -5 * 60, "EDT": -4 * 60, "CST": -6 * 60, "CDT": -5 * 60,
        "MST": -7 * 60, "MDT": -6 * 60, "PST": -8 * 60, "PDT": -7 * 60,
    ]

    /// The instant `text` names, or `nil` when it is not a date.
    public static func parse(_ text: String) -> Date? {
        var cleaned = ""
        var depth = 0
        for ch in text {
            if ch == "(" { depth += 1; continue }
            if ch == ")" && depth > 0 { depth -= 1; continue }
            if depth == 0 { cleaned.append(ch == "," ? " " : ch) }
        }
        var tokens = cleaned.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" })
            .map(String.init)
        let weekdays = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
        if let first = tokens.first, weekdays.contains(first.prefix(3).lowercased()) {
            tokens.removeFirst()
        }
        guard tokens.count >= 4 else { return nil }
        // Accept both "22 Nov 2026" and the US-style "Nov 22 2026".
        var dayToken = tokens[0], monthToken = tokens[1]
        if Int(dayToken) == nil { swap(&dayToken, &monthToken) }
        guard let day = Int(dayToken), (1...31).contains(day),
              let monthIndex = months.firstIndex(of: String(monthToken.prefix(3)).lowercased()),
              var year = Int(tokens[2]), tokens[2].count >= 2
        else { return nil }
        if tokens[2].count == 2 { year += year < 50 ? 2000 : 1900 }
        else if tokens[2].count == 3 { year += 1900 }
        guard (1...9999).contains(year) else { return nil }  // larger years overflow the day count
        let timeParts = tokens[3].split(separator: ":").map { Int($0) }
        guard (2...3).contains(timeParts.count), timeParts.allSatisfy({ $0 != nil }) else { return nil }
        let hour = timeParts[0]!, minute = timeParts[1]!, second = timeParts.count == 3 ? timeParts[2]! : 0
        guard (0...23).contains(hour), (0...59).contains(minute), (0...60).contains(second) else { return nil }
        let offsetMinutes = tokens.count > 4 ? zoneOffset(tokens[4]) : 0
        guard let offsetMinutes else { return nil }
        let days = CivilDate.daysSinceEpoch(year: year, month: monthIndex + 1, day: day)
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offsetMinutes * 60
        return Date(timeIntervalSince1970: TimeInterval(seconds))
    }

    /// `+0800`, `-0500`, a named zone, or an unknown military/alpha zone (treated as UTC, as
    /// RFC 5322 says for `-0000`).
    private static func zoneOffset(_ token: String) -> Int? {
        if let sign = token.first, sign == "+" || sign == "-" {
            let digits = token.dropFirst()
            guard digits.count == 4, let value = Int(digits) else { return nil }
            let minutes = (value / 100) * 60 + value % 100
            return sign == "-" ? -minutes : minutes
        }
        if let named = zones[token.uppercased()] { return named }
        return token.allSatisfy({ $0.isLetter }) ? 0 : nil
    }
}
