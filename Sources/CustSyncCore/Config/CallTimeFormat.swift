import Foundation

/// How the `call.time` column is written (`TimeFormat=` in `[CSV]`).
public enum CallTimeFormat: Sendable, Equatable, CustomStringConvertible {
    /// `2024-03-01 14:05:09`, `2024/3/1 14:05`, `2024-03-01T14:05:09.250+08:00` and the like:
    /// date, time to the minute or second (fraction allowed), optional `Z` or offset.
    case auto
    /// Seconds since 1970-01-01 UTC, optionally with a fraction.
    case epoch
    /// A Unicode date pattern such as `dd.MM.yyyy HH:mm` (as `DateFormatter` reads it).
    case pattern(String)

    /// Parses a configured value: `auto`, `epoch`, or a pattern.
    public init(configured text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        switch trimmed.lowercased() {
        case "auto", "": self = .auto
        case "epoch", "unix": self = .epoch
        default: self = .pattern(trimmed)
        }
    }

    public var description: String {
        switch self {
        case .auto: return "auto"
        case .epoch: return "epoch"
        case .pattern(let pattern): return pattern
        }
    }
}
