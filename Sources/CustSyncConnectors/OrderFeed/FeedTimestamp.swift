import CustSyncCore
import Foundation

/// A point in time as an order feed wrote it: the parsed date, and the text as sent, which is
/// what goes back to the feed in `updated_since` (so no precision or zone is lost on the way).
struct FeedTimestamp: Sendable, Equatable {
    var date: Date
    var text: String

    /// Reads ISO 8601 / RFC 3339 text (`2024-05-01T10:00:00Z`, `2024-05-01 10:00:00.123+08:00`,
    /// `2024-05-01`; no zone means UTC) or Unix time as a number or digits (seconds, or
    /// milliseconds when larger than 10^11).
    init?(_ value: JSONValue) {
        switch value {
        case .number(let text):
            guard let date = FeedTimestamp.unixTime(text) else { return nil }
            self.init(date: date, text: text)
        case .string(let text):
            guard let date = FeedTimestamp.iso8601(text) ?? FeedTimestamp.unixTime(text) else { return nil }
            self.init(date: date, text: text)
        default:
            return nil
        }
    }

    init(date: Date, text: String) {
        self.date = date
        self.text = text
    }

    /// This time moved back by `interval` (and down to a whole second: earlier is safe), written
    /// the way the feed writes times: Unix time in the same unit when it sent a number, else
    /// RFC 3339 in UTC (`2024-05-01T09:55:00Z`).
    func earlier(by interval: TimeInterval) -> String {
        let seconds = date.addingTimeInterval(-interval).timeIntervalSince1970.rounded(.down)
        if let number = Double(text), number.isFinite {
            return String(Int64(number > 1e11 ? seconds * 1000 : seconds))
        }
        return Date(timeIntervalSince1970: seconds).formatted(.iso8601)
    }

    /// Seconds since 1970 of 9999-12-31T23:59:59Z, the last time ISO 8601 text can write.
    /// A number past it is garbage, not a time (and would overflow later arithmetic).
    static let latestUnixTime: Double = 253_402_300_799

    private static func unixTime(_ text: String) -> Date? {
        guard let number = Double(text), number.isFinite, number >= 0 else { return nil }
        let seconds = number > 1e11 ? number / 1000 : number
        guard seconds <= latestUnixTime else { return nil }
        return Date(timeIntervalSince1970: seconds)
    }

    /// A hand-written RFC 3339 reader: the feed's hot path parses one or two per order, and
    /// Foundation's formatters are far slower.
    static func iso8601(_ text: String) -> Date? {
        var utf8 = Array(text.utf8)[...]
        func number(_ digits: Int) -> Int? {
            guard utf8.count >= digits else { return nil }
            var value = 0
            for byte in utf8.prefix(digits) {
                guard byte >= 48 && byte <= 57 else { return nil }
                value = value * 10 + Int(byte - 48)
            }
            utf8 = utf8.dropFirst(digits)
            return value
        }
        func expect(_ characters: String) -> Bool {
            guard let byte = utf8.first, characters.utf8.contains(byte) else { return false }
            utf8 = utf8.dropFirst()
            return true
        }
        guard let year = number(4), expect("-"), let month = number(2), expect("-"), let day = number(2),
              (1...12).contains(month), (1...31).contains(day) else { return nil }
        var seconds = 0.0
        var offset = 0
        if !utf8.isEmpty {
            guard expect("Tt "), let hour = number(2), expect(":"), let minute = number(2), expect(":"),
                  let second = number(2), hour < 24, minute < 60, second <= 60 else { return nil }
            seconds = Double(hour * 3600 + minute * 60 + second)
            if utf8.first == UInt8(ascii: ".") || utf8.first == UInt8(ascii: ",") {
                utf8 = utf8.dropFirst()
                var scale = 0.1
                var digits = 0
                while let byte = utf8.first, byte >= 48 && byte <= 57 {
                    seconds += Double(byte - 48) * scale
                    scale /= 10
                    digits += 1
                    utf8 = utf8.dropFirst()
                }
                guard digits > 0 else { return nil }
            }
            if let sign = utf8.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
                utf8 = utf8.dropFirst()
                guard let hours = number(2) else { return nil }
                _ = expect(":")
                guard let minutes = number(2), hours < 24, minutes < 60 else { return nil }
                offset = (hours * 3600 + minutes * 60) * (sign == UInt8(ascii: "+") ? 1 : -1)
            } else if !utf8.isEmpty {
                guard expect("Zz") else { return nil }
            }
            guard utf8.isEmpty else { return nil }
        }
        let days = CivilDate.daysSinceEpoch(year: year, month: month, day: day)
        return Date(timeIntervalSince1970: Double(days * 86400 - offset) + seconds)
    }
}
