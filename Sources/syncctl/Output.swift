import Foundation
import Glibc

/// Human output helpers: aligned tables, relative times, colour only on a terminal and never
/// with NO_COLOR.
enum Output {
    static let useColour: Bool = isatty(1) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil

    static func colour(_ text: String, _ code: String) -> String {
        useColour ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }

    static func verdict(_ text: String) -> String {
        switch text {
        case "ok": return colour(text, "32")
        case "degraded": return colour(text, "33")
        default: return colour(text, "31")
        }
    }

    /// "3 min ago", "in 20 s", "—".
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

    /// Columns padded to their widest cell; the last column is not padded.
    static func table(_ header: [String], _ rows: [[String]]) -> String {
        let all = [header] + rows
        let widths = header.indices.map { column in all.map { $0[column].count }.max() ?? 0 }
        return all.map { row in
            row.indices.map { column in
                column == row.count - 1 ? row[column] : row[column].padding(toLength: widths[column], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }.joined(separator: "\n")
    }

    static func truncate(_ text: String, _ width: Int) -> String {
        text.count <= width ? text : String(text.prefix(width - 1)) + "…"
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
