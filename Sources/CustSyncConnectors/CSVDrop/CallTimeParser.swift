import CustSyncCore
import Foundation

/// Reads the `call.time` column (`TimeFormat=`, `TimeZone=`). Not thread-safe (a custom
/// pattern uses a `DateFormatter`): one per file import.
final class CallTimeParser {
    let format: CallTimeFormat
    let timeZone: TimeZone
    private let formatter: DateFormatter?

    init(format: CallTimeFormat, timeZone: TimeZone) {
        self.format = format
        self.timeZone = timeZone
        if case .pattern(let pattern) = format {
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = timeZone
            formatter.dateFormat = pattern
            formatter.isLenient = false
            self.formatter = formatter
        } else {
            formatter = nil
        }
    }

    /// What a valid value looks like, for rejection messages.
    var expectation: String {
        switch format {
        case .auto: return "TimeFormat=auto expects e.g. 2024-03-01 14:05:09, 2024/3/1 14:05 or 2024-03-01T14:05:09+08:00"
        case .epoch: return "TimeFormat=epoch expects seconds since 1970, e.g. 1709273109"
        case .pattern(let pattern): return "TimeFormat=\(pattern)"
        }
    }

    func parse(_ text: String) -> Date? {
        let trimmed = text.trimmingWhitespace()
        switch format {
        case .epoch:
            guard let seconds = Double(trimmed), seconds.isFinite else { return nil }
            return Date(timeIntervalSince1970: seconds)
        case .pattern:
            return formatter?.date(from: trimmed)
        case .auto:
            return parseAuto(Array(trimmed.unicodeScalars))
        }
    }

    /// `Y-M-D[( |T)h:m[:s[.f]]][Z|±hh[:mm]]`, date separators `-`, `/`, `.` or 年/月(/日).
    private func parseAuto(_ s: [Unicode.Scalar]) -> Date? {
        var i = 0
        func number(maxDigits: Int) -> Int? {
            var value = 0, digits = 0
            while i < s.count, digits < maxDigits, (48...57).contains(s[i].value) {
                value = value * 10 + Int(s[i].value - 48)
                digits += 1
                i += 1
            }
            return digits > 0 ? value : nil
        }
        func take(_ options: Set<Unicode.Scalar>) -> Bool {
            if i < s.count, options.contains(s[i]) { i += 1; return true }
            return false
        }
        guard let year = number(maxDigits: 4), year >= 1900, take(["-", "/", ".", "年"]),
              let month = number(maxDigits: 2), take(["-", "/", ".", "月"]),
              let day = number(maxDigits: 2) else { return nil }
        _ = take(["日"])
        var hour = 0, minute = 0, second = 0
        var fraction = 0.0
        var offset: Int?
        if i < s.count {
            guard take([" ", "T", "t"]) else { return nil }
            while take([" "]) {}
            guard let h = number(maxDigits: 2), take([":"]), let m = number(maxDigits: 2) else { return nil }
            hour = h
            minute = m
            if take([":"]) {
                guard let sec = number(maxDigits: 2) else { return nil }
                second = sec
                if take([".", ","]) {
                    let start = i
                    guard number(maxDigits: 9) != nil else { return nil }
                    fraction = Double("0." + String(String.UnicodeScalarView(s[start..<i]))) ?? 0
                }
            }
            while take([" "]) {}
            if take(["Z", "z"]) {
                offset = 0
            } else if i < s.count, s[i] == "+" || s[i] == "-" {
                let sign = s[i] == "-" ? -1 : 1
                i += 1
                guard let oh = number(maxDigits: 2) else { return nil }
                _ = take([":"])
                let om = number(maxDigits: 2) ?? 0
                guard oh <= 14, om <= 59 else { return nil }
                offset = sign * (oh * 3600 + om * 60)
            }
            guard i == s.count else { return nil }
        }
        guard (1...12).contains(month), day >= 1, day <= Self.daysIn(month: month, year: year),
              hour <= 23, minute <= 59, second <= 60 else { return nil }
        let days = CivilDate.daysSinceEpoch(year: year, month: month, day: day)
        let local = Double(days * 86_400 + hour * 3600 + minute * 60 + second) + fraction
        if let offset { return Date(timeIntervalSince1970: local - Double(offset)) }
        // Local wall time: the zone's offset at that instant (twice, for DST edges).
        var guess = local - Double(timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: local)))
        guess = local - Double(timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: guess)))
        return Date(timeIntervalSince1970: guess)
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}
