import CustSyncCore
import Foundation

/// Quarantine entries for people.
enum QuarantineText {
    static func list(_ list: QuarantineList, now: Date = Date()) -> String {
        guard !list.entries.isEmpty else { return "no entries" }
        var text = Output.table(["ID", "SOURCE", "STATUS", "WHEN", "ORIGIN", "REASON"],
                                list.entries.map { [String($0.id), $0.source, $0.status, Output.relative($0.at, now: now),
                                                    $0.origin, $0.reason] },
                                flexible: [4, 5])
        if list.more { text += "\n(more: --after \(list.entries.last?.id ?? 0))" }
        return text
    }

    static func render(_ entry: QuarantineEntry, now: Date = Date()) -> String {
        var lines = [Output.fields([("entry", "\(entry.id) (\(entry.status))"), ("source", entry.source),
                                    ("origin", entry.origin), ("reason", entry.reason),
                                    ("when", "\(Output.localTime(entry.at)) (\(Output.relative(entry.at, now: now)))")])]
        if let raw = entry.raw {
            lines += ["", "raw input:", raw]
        }
        if entry.status == "open" {
            lines += ["", "After fixing it upstream: syncctl quarantine retry \(entry.id)"]
        }
        return lines.joined(separator: "\n")
    }
}
