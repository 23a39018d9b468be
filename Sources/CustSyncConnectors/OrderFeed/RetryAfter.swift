import Foundation

/// The `Retry-After` response header: seconds, or an HTTP date.
enum RetryAfter {
    /// The longest wait honoured. A server asking for more is broken, and a connector paused
    /// for longer would look dead: it waits a day and asks again.
    static let longestHonoured: TimeInterval = 86_400

    /// How long the server asks us to wait, from `now`, at most `longestHonoured`; `nil` if the
    /// value is unreadable.
    static func delay(_ value: String, now: Date = Date()) -> TimeInterval? {
        asked(value, now: now).map { min($0, longestHonoured) }
    }

    private static func asked(_ value: String, now: Date) -> TimeInterval? {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        if !trimmed.isEmpty, trimmed.allSatisfy({ $0.isASCII && $0.isNumber }) {
            return Double(trimmed)
        }
        for format in ["EEE, dd MMM yyyy HH:mm:ss zzz", "EEEE, dd-MMM-yy HH:mm:ss zzz", "EEE MMM d HH:mm:ss yyyy"] {
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(identifier: "GMT")
            formatter.dateFormat = format
            if let date = formatter.date(from: trimmed) { return max(0, date.timeIntervalSince(now)) }
        }
        return nil
    }
}
