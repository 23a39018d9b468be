import Foundation
import Glibc

/// Human output helpers: aligned tables that fit the terminal (80 columns when it cannot be
/// asked), relative times, colour only on a terminal and never with NO_COLOR.
enum Output {
    static let useColour: Bool = isatty(1) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil

    /// The terminal's width; `$COLUMNS` or 80 when standard output is not a terminal.
    static let width: Int = {
        if isatty(1) == 1 {
            var size = winsize()
            if ioctl(1, UInt(TIOCGWINSZ), &size) == 0, size.ws_col >= 20 { return Int(size.ws_col) }
        }
        if let columns = ProcessInfo.processInfo.environment["COLUMNS"].flatMap(Int.init), columns >= 20 { return columns }
        return 80
    }()

    static func colour(_ text: String, _ code: String) -> String {
        useColour ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }

    static func red(_ text: String) -> String { colour(text, "31") }
    static func yellow(_ text: String) -> String { colour(text, "33") }
    static func green(_ text: String) -> String { colour(text, "32") }
    static func bold(_ text: String) -> String { colour(text, "1") }

    static func verdict(_ text: String) -> String {
        switch text {
        case "ok": return green(text)
        case "degraded": return yellow(text)
        default: return red(text)
        }
    }

    /// Connector states: failing red, backing off and paused yellow.
    static func state(_ text: String) -> String {
        switch text {
        case "failing", "waiting-for-store": return red(text)
        case "backing-off", "paused": return yellow(text)
        default: return text
        }
    }

    /// "3 min ago", "in 20 s", "now", "—".
    static func relative(_ date: Date?, now: Date = Date()) -> String {
        guard let date else { return "—" }
        let seconds = now.timeIntervalSince(date)
        let magnitude = abs(seconds)
        let text: String
        switch magnitude {
        case ..<1: return "now"
        case ..<60: text = "\(Int(magnitude)) s"
        case ..<3600: text = "\(Int(magnitude / 60)) min"
        case ..<86400: text = "\(Int(magnitude / 3600)) h"
        default: text = "\(Int(magnitude / 86400)) d"
        }
        return seconds >= 0 ? "\(text) ago" : "in \(text)"
    }

    /// A duration for people: "3 s", "5 min", "1 h", "1 d 2 h".
    static func duration(_ seconds: Double) -> String {
        switch seconds {
        case ..<60: return "\(Int(seconds)) s"
        case ..<3600: return "\(Int(seconds / 60)) min"
        case ..<86400: return "\(Int(seconds / 3600)) h"
        default:
            let hours = Int(seconds.truncatingRemainder(dividingBy: 86400) / 3600)
            return "\(Int(seconds / 86400)) d" + (hours > 0 ? " \(hours) h" : "")
        }
    }

    /// `2026-11-22 22:05:06` in local time.
    static func localTime(_ date: Date) -> String {
        var time = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        localtime_r(&time, &parts)
        return String(format: "%04d-%02d-%02d %02d:%02d:%02d", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1,
                      Int(parts.tm_mday), Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec))
    }

    /// "1.4 MB", "820 B".
    static func bytes(_ count: Int64) -> String {
        let units = ["B", "kB", "MB", "GB", "TB"]
        var value = Double(count)
        var unit = 0
        while value >= 1000 && unit < units.count - 1 { value /= 1000; unit += 1 }
        return unit == 0 ? "\(count) B" : String(format: "%.1f %@", value, units[unit])
    }

    // MARK: tables

    /// Columns padded to their widest cell (the last column is not padded). When the table is
    /// wider than `width`, the `flexible` columns are cut, the widest first, with `…`.
    /// `colour` paints a column's cells after padding, so colour never disturbs alignment.
    static func table(_ header: [String], _ rows: [[String]], flexible: Set<Int> = [], width: Int = Output.width,
                      colour: [Int: (String) -> String] = [:]) -> String {
        let all = [header] + rows
        var widths = header.indices.map { column in all.map { displayWidth($0[column]) }.max() ?? 0 }
        var excess = widths.reduce(0, +) + 2 * (widths.count - 1) - width
        while excess > 0 {
            guard let widest = flexible.filter({ widths[$0] > max(6, displayWidth(header[$0])) })
                .max(by: { widths[$0] < widths[$1] }) else { break }
            widths[widest] -= 1
            excess -= 1
        }
        return all.enumerated().map { rowIndex, row in
            row.indices.map { column in
                let cell = truncate(row[column], widths[column])
                let padding = column == row.count - 1 ? "" : String(repeating: " ", count: max(0, widths[column] - displayWidth(cell)))
                let paint = rowIndex > 0 ? colour[column] : nil
                return (paint?(cell) ?? cell) + padding
            }.joined(separator: "  ")
        }.joined(separator: "\n")
    }

    /// `text` cut to `width` display columns, ending in `…` when cut; newlines become spaces.
    static func truncate(_ text: String, _ width: Int) -> String {
        let flat = text.contains(where: \.isNewline) ? text.map { $0.isNewline ? " " : String($0) }.joined() : text
        guard displayWidth(flat) > width else { return flat }
        var out = ""
        var used = 0
        for character in flat {
            let w = displayWidth(character)
            if used + w > width - 1 { break }
            out.append(character)
            used += w
        }
        return out + "…"
    }

    /// Terminal columns: East Asian wide and full-width characters take two.
    static func displayWidth(_ text: String) -> Int {
        text.reduce(0) { $0 + displayWidth($1) }
    }

    static func displayWidth(_ character: Character) -> Int {
        guard let scalar = character.unicodeScalars.first else { return 0 }
        switch scalar.value {
        case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF,
             0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x1F300...0x1FAFF,
             0x20000...0x3FFFD:
            return 2
        default:
            return 1
        }
    }

    /// `text` broken into lines of at most `width` columns at spaces (a word longer than a line,
    /// such as a URL, is cut where it must); every line but the first starts with `indent`
    /// spaces (the first is assumed to start there already).
    static func wrap(_ text: String, width: Int, indent: Int) -> String {
        var lines: [String] = []
        var line = ""
        let room = max(10, width - indent)
        for word in text.split(separator: " ").flatMap({ pieces(of: $0, room: room) }) {
            if !line.isEmpty && indent + displayWidth(line) + 1 + displayWidth(String(word)) > width {
                lines.append(line)
                line = ""
            }
            line += (line.isEmpty ? "" : " ") + word
        }
        lines.append(line)
        return lines.joined(separator: "\n" + String(repeating: " ", count: indent))
    }

    /// `word` cut into pieces of at most `room` display columns.
    private static func pieces(of word: Substring, room: Int) -> [String] {
        var pieces = [""]
        var used = 0
        for character in word {
            let w = displayWidth(character)
            if used + w > room {
                pieces.append("")
                used = 0
            }
            pieces[pieces.count - 1].append(character)
            used += w
        }
        return pieces
    }

    /// `label: value` lines with the labels aligned.
    static func fields(_ pairs: [(String, String)]) -> String {
        let width = pairs.map { displayWidth($0.0) }.max() ?? 0
        return pairs.map { label, value in
            label + ":" + String(repeating: " ", count: width - displayWidth(label) + 1) + value
        }.joined(separator: "\n")
    }

    /// Whether nobody reads standard output any more: the reader of its pipe has gone, or its
    /// terminal hung up.
    static var isClosed: Bool {
        var descriptor = pollfd(fd: 1, events: 0, revents: 0)
        return poll(&descriptor, 1, 0) == 1 && descriptor.revents & Int16(POLLERR | POLLHUP) != 0
    }

    static func printJSON(_ data: Data) {
        if let object = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]),
           let pretty = try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes, .fragmentsAllowed]) {
            print(String(decoding: pretty, as: UTF8.self))
        } else {
            print(String(decoding: data, as: UTF8.self))
        }
    }
}
