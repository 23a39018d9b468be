import Foundation

/// Parsers for configuration values. Each throws a `ConfigValueError` whose message says what is
/// wrong with the value and what to write instead; callers add file, line and key.
public enum ConfigValueParser {

    // MARK: Durations

    private static let durationUnits: [String: Double] = [
        "us": 1e-6, "usec": 1e-6,
        "ms": 1e-3, "msec": 1e-3,
        "s": 1, "sec": 1, "second": 1, "seconds": 1,
        "m": 60, "min": 60, "minute": 60, "minutes": 60,
        "h": 3600, "hr": 3600, "hour": 3600, "hours": 3600,
        "d": 86400, "day": 86400, "days": 86400,
        "w": 604_800, "week": 604_800, "weeks": 604_800,
    ]

    /// A systemd-style time span: `500ms`, `30s`, `5min`, `2h`, `1d`, `1w`, combinations such as
    /// `1min 30s` or `1h30min`; a bare number is seconds. Units: us, ms, s/sec, m/min, h/hr, d, w
    /// (and their long forms). Never negative.
    public static func duration(_ text: String) throws(ConfigValueError) -> TimeInterval {
        let failure = ConfigValueError("\"\(text)\" is not a duration (use e.g. 30s, 5min, 1h)")
        let characters = Array(text.trimmingCharacters(in: .whitespaces))
        var index = 0
        var total: Double = 0
        var components = 0
        while true {
            while index < characters.count, characters[index].isWhitespace { index += 1 }
            if index == characters.count { break }
            let numberStart = index
            while index < characters.count, characters[index].isASCII,
                  characters[index].isNumber || characters[index] == "." {
                index += 1
            }
            guard index > numberStart, let number = Double(String(characters[numberStart..<index])) else {
                throw failure
            }
            while index < characters.count, characters[index].isWhitespace { index += 1 }
            let unitStart = index
            while index < characters.count, characters[index].isASCII, characters[index].isLetter { index += 1 }
            let unit = String(characters[unitStart..<index]).lowercased()
            guard let factor = unit.isEmpty ? 1 : durationUnits[unit] else { throw failure }
            total += number * factor
            components += 1
        }
        guard components > 0, total.isFinite else { throw failure }
        guard total <= maximumDuration else {
            throw ConfigValueError("\"\(text)\" is too long: a duration is at most 3650d (ten years; use e.g. 1d or 1w)")
        }
        return total
    }

    /// The longest duration `duration(_:)` accepts: ten years. Anything longer is a typo, and a
    /// bound keeps every duration convertible to whole milliseconds (curl, poll, messages).
    public static let maximumDuration: TimeInterval = 3650 * 86400

    /// Formats a duration the way `duration(_:)` reads it, e.g. `1min 30s`, `500ms`, `0`.
    /// Durations past `maximumDuration` (a server's header, not a setting) print as that.
    public static func formatDuration(_ interval: TimeInterval) -> String {
        guard interval.isFinite, interval > 0 else { return "0" }
        var milliseconds = Int64((min(interval, maximumDuration) * 1000).rounded())
        if milliseconds == 0 { return "0" }
        var parts: [String] = []
        for (unit, size) in [("d", Int64(86_400_000)), ("h", 3_600_000), ("min", 60_000), ("s", 1000), ("ms", 1)] {
            let count = milliseconds / size
            if count > 0 {
                parts.append("\(count)\(unit)")
                milliseconds -= count * size
            }
        }
        return parts.joined(separator: " ")
    }

    // MARK: Scalars

    /// yes/no, true/false, on/off, 1/0 (any case).
    public static func bool(_ text: String) throws(ConfigValueError) -> Bool {
        switch text.trimmingCharacters(in: .whitespaces).lowercased() {
        case "yes", "true", "on", "1": return true
        case "no", "false", "off", "0": return false
        default: throw ConfigValueError("\"\(text)\" is not a boolean (use yes or no)")
        }
    }

    /// A whole number within `range` (1 or more by default).
    public static func positiveInteger(_ text: String, in range: ClosedRange<Int> = 1...Int.max) throws(ConfigValueError) -> Int {
        let hint = range.upperBound == Int.max
            ? "use a whole number of \(range.lowerBound) or more"
            : "use a whole number from \(range.lowerBound) to \(range.upperBound)"
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty, trimmed.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw ConfigValueError("\"\(text)\" is not a whole number (\(hint))")
        }
        guard let number = Int(trimmed), range.contains(number) else {
            throw ConfigValueError("\(trimmed) is out of range (\(hint))")
        }
        return number
    }

    /// A decimal score from 0 to 1, e.g. `0.92`.
    public static func score(_ text: String) throws(ConfigValueError) -> Double {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let looksNumeric = !trimmed.isEmpty && trimmed.allSatisfy { $0.isASCII && ($0.isNumber || $0 == ".") }
        guard looksNumeric, let number = Double(trimmed), number.isFinite else {
            throw ConfigValueError("\"\(text)\" is not a score (use a decimal from 0 to 1, e.g. 0.9)")
        }
        guard number >= 0, number <= 1 else {
            throw ConfigValueError("\(trimmed) is out of range (use a decimal from 0 to 1, e.g. 0.9)")
        }
        return number
    }

    /// Whitespace-separated words; never throws, but has the parser signature.
    public static func words(_ text: String) throws(ConfigValueError) -> [String] {
        text.split(whereSeparator: { $0.isWhitespace }).map(String.init)
    }

    /// One of `choices`, exactly as written (case-sensitive).
    public static func choice(_ text: String, of choices: [String], what: String) throws(ConfigValueError) -> String {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard choices.contains(trimmed) else {
            var message = "\"\(text)\" is not a \(what) (use one of \(choices.joined(separator: ", "))"
            if let close = closest(to: trimmed, among: choices) { message += "; did you mean \(close)?" }
            throw ConfigValueError(message + ")")
        }
        return trimmed
    }

    /// Two ASCII letters, returned upper-cased (`cn` → `CN`).
    public static func regionCode(_ text: String) throws(ConfigValueError) -> String {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard trimmed.count == 2, trimmed.allSatisfy({ $0.isASCII && $0.isLetter }) else {
            throw ConfigValueError("\"\(text)\" is not a region code (use an ISO 3166 two-letter code, e.g. CN, HK, US)")
        }
        return trimmed.uppercased()
    }

    // MARK: Command lines

    /// Splits a command line into argv like a POSIX shell, without expansions:
    /// whitespace separates words; `'…'` is literal; in `"…"` only `\"` and `\\` are escapes;
    /// outside quotes a backslash takes the next character literally. Adjacent quoted and
    /// unquoted parts join into one word (`--name="A B"` → `--name=A B`); `""` is an empty word.
    public static func commandLine(_ text: String) throws(ConfigValueError) -> [String] {
        let characters = Array(text)
        var argv: [String] = []
        var word = ""
        var inWord = false
        var quote: Character?
        var index = 0
        while index < characters.count {
            let character = characters[index]
            if let open = quote {
                if character == open {
                    quote = nil
                } else if open == "\"", character == "\\", index + 1 < characters.count,
                          characters[index + 1] == "\"" || characters[index + 1] == "\\" {
                    index += 1
                    word.append(characters[index])
                } else {
                    word.append(character)
                }
            } else if character == "'" || character == "\"" {
                quote = character
                inWord = true
            } else if character == "\\" {
                guard index + 1 < characters.count else {
                    throw ConfigValueError("command line ends with a backslash (remove it, or write \\\\ for a literal backslash)")
                }
                index += 1
                word.append(characters[index])
                inWord = true
            } else if character.isWhitespace {
                if inWord {
                    argv.append(word)
                    word = ""
                    inWord = false
                }
            } else {
                word.append(character)
                inWord = true
            }
            index += 1
        }
        if let open = quote {
            throw ConfigValueError("command line has an unterminated \(open) quote (close it with \(open))")
        }
        if inWord { argv.append(word) }
        guard let program = argv.first else {
            throw ConfigValueError("command line is empty (give the program and its arguments, e.g. /usr/local/bin/export-crm --since 1d)")
        }
        guard !program.isEmpty else {
            throw ConfigValueError("command line starts with an empty program name (give the program's path first)")
        }
        return argv
    }

    // MARK: Paths

    /// A path; relative paths resolve against `base` (an absolute directory). The result is
    /// lexically normalized (no `.`, `..` or repeated `/`).
    public static func path(_ text: String, relativeTo base: String) throws(ConfigValueError) -> String {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else {
            throw ConfigValueError("path is empty (give a path, or remove the line to use the default)")
        }
        guard !trimmed.contains("\u{0}") else {
            throw ConfigValueError("path contains a NUL character (remove it)")
        }
        if trimmed.hasPrefix("~") {
            throw ConfigValueError("\"\(text)\" starts with ~, which is not expanded here (write the full path, e.g. /home/name/…)")
        }
        return resolve(trimmed, relativeTo: base)
    }

    /// Joins `path` to `base` unless it is absolute, and normalizes the result.
    public static func resolve(_ path: String, relativeTo base: String) -> String {
        if path.hasPrefix("/") || base.isEmpty { return normalize(path) }
        return normalize(base + "/" + path)
    }

    /// Lexical normalization: removes empty and `.` components and folds `..` where it can.
    public static func normalize(_ path: String) -> String {
        let absolute = path.hasPrefix("/")
        var parts: [Substring] = []
        for component in path.split(separator: "/", omittingEmptySubsequences: true) {
            if component == "." { continue }
            if component == ".." {
                if let last = parts.last, last != ".." {
                    parts.removeLast()
                } else if !absolute {
                    parts.append(component)
                }
                continue
            }
            parts.append(component)
        }
        let joined = parts.joined(separator: "/")
        if absolute { return "/" + joined }
        return joined.isEmpty ? "." : joined
    }

    /// The directory part of a path (`a/b.conf` → `a`, `b.conf` → ``, `/b.conf` → `/`).
    public static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "" }
        if slash == path.startIndex { return "/" }
        return String(path[..<slash])
    }

    /// A size in bytes: a whole number with an optional unit K, M or G (powers of 1024; `KiB`,
    /// `MB`, `B` and the like are read the same, in any case), e.g. `512K`, `32M`.
    public static func byteSize(_ text: String) throws(ConfigValueError) -> Int64 {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let digits = trimmed.prefix(while: { $0.isASCII && $0.isNumber })
        let unit = trimmed.dropFirst(digits.count).trimmingCharacters(in: .whitespaces).lowercased()
        let factors: [String: Int64] = ["": 1, "b": 1, "k": 1 << 10, "kb": 1 << 10, "kib": 1 << 10,
                                        "m": 1 << 20, "mb": 1 << 20, "mib": 1 << 20,
                                        "g": 1 << 30, "gb": 1 << 30, "gib": 1 << 30]
        guard !digits.isEmpty, let number = Int64(digits), let factor = factors[unit] else {
            throw ConfigValueError("\"\(text)\" is not a size (write a number of bytes, optionally with K, M or G, e.g. 32M)")
        }
        let (size, overflow) = number.multipliedReportingOverflow(by: factor)
        guard !overflow else { throw ConfigValueError("\(trimmed) is too large (use at most a few G)") }
        return size
    }

    /// A size in bytes within `range`; `hint` says what to write instead (e.g. "use from 1K to
    /// 1G, e.g. 32M").
    public static func byteSize(_ text: String, in range: ClosedRange<Int64>, hint: String) throws(ConfigValueError) -> Int64 {
        let size = try byteSize(text)
        guard range.contains(size) else {
            throw ConfigValueError("\(text.trimmingCharacters(in: .whitespaces)) is out of range (\(hint))")
        }
        return size
    }

    // MARK: Suggestions

    /// Why `[Mapping]` target `name` is none of `targets`, with a "did you mean" when one is close.
    static func unknownMappingTarget(_ name: String, targets: [String]) -> String {
        let valid = targets.joined(separator: ", ")
        guard !name.isEmpty else { return "maps to nothing (write a target after \"=\": one of \(valid))" }
        let suggestion = closest(to: name, among: targets).map { "; did you mean \($0)?" } ?? ""
        return "unknown target \"\(name)\" (valid targets: \(valid)\(suggestion))"
    }

    /// The candidate closest to `text` (case-insensitive edit distance ≤ 2), for "did you mean".
    public static func closest(to text: String, among candidates: [String]) -> String? {
        let lowered = text.lowercased()
        var best: (String, Int)?
        for candidate in candidates {
            let distance = editDistance(lowered, candidate.lowercased())
            if distance <= 2, distance < (best?.1 ?? Int.max) { best = (candidate, distance) }
        }
        return best?.0
    }

    private static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var row = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                row[j] = min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = row
        }
        return previous[b.count]
    }
}
