import CustSyncCore
import Foundation
import Glibc

/// Times people type after `--since`: ISO 8601 (`2026-11-22T10:00:00Z`), a local date or date
/// and time (`2026-11-22`, `2026-11-22 10:00`, `2026-11-22T10:00:30`), or a duration meaning
/// that long ago (`2h`, `30min`, `1d`).
enum TimeArgument {
    static func date(_ text: String, now: Date = Date()) -> Date? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let date = ISO8601.date(trimmed) { return date }
        if let local = localDate(trimmed) { return local }
        if trimmed.first?.isNumber == true, let ago = try? ConfigValueParser.duration(trimmed) {
            return now.addingTimeInterval(-ago)
        }
        return nil
    }

    /// `YYYY-MM-DD` or `YYYY-MM-DD[ T]HH:MM[:SS]` in the local time zone.
    private static func localDate(_ text: String) -> Date? {
        let parts = text.split(whereSeparator: { $0 == " " || $0 == "T" })
        guard (1...2).contains(parts.count) else { return nil }
        let day = parts[0].split(separator: "-").compactMap { Int32($0) }
        guard day.count == 3, parts[0].count == 10 else { return nil }
        var clock: [Int32] = [0, 0, 0]
        if parts.count == 2 {
            let pieces = parts[1].split(separator: ":").compactMap { Int32($0) }
            guard (2...3).contains(pieces.count), pieces.count == parts[1].split(separator: ":").count else { return nil }
            for (index, piece) in pieces.enumerated() { clock[index] = piece }
        }
        var fields = tm()
        fields.tm_year = day[0] - 1900
        fields.tm_mon = day[1] - 1
        fields.tm_mday = day[2]
        fields.tm_hour = clock[0]
        fields.tm_min = clock[1]
        fields.tm_sec = clock[2]
        fields.tm_isdst = -1
        let seconds = mktime(&fields)
        return seconds == -1 ? nil : Date(timeIntervalSince1970: TimeInterval(seconds))
    }
}
