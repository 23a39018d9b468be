import CustSyncCore
import Foundation

/// `syncctl status` for people: fits 80 columns.
enum StatusView {
    static func render(_ report: StatusReport, now: Date = Date()) -> String {
        var lines: [String] = []
        let d = report.daemon
        lines.append("custsyncd \(d.version), pid \(d.pid), up \(Output.relative(d.startedAt, now: now).replacingOccurrences(of: " ago", with: ""))")
        lines.append("verdict: \(Output.verdict(report.verdict)) — \(report.verdictReason)")
        lines.append("store: \(d.store)")
        let s = report.store
        lines.append("  \(s.customers) customers (\(s.mergedCustomers) merged), \(s.interactions) interactions, "
                     + "\(s.openConflicts) open conflicts, \(s.quarantined) quarantined, journal head \(s.journalHead)")
        lines.append("")
        let rows = report.connectors.map { c in
            [c.name, c.kind, c.state, "\(c.recordsIn)/\(c.applied)/\(c.rejected)",
             Output.relative(c.lastSuccess, now: now), Output.relative(c.nextPoll, now: now)]
        }
        lines.append(Output.table(["CONNECTOR", "KIND", "STATE", "IN/APPLIED/REJ", "LAST OK", "NEXT"], rows))
        for c in report.connectors {
            if let cursor = c.cursor { lines.append("  \(c.name) cursor: \(Output.truncate(cursor, 60))") }
            if let error = c.lastError {
                lines.append("  \(c.name) last error (\(Output.relative(c.lastErrorAt, now: now))): \(Output.truncate(error, 100))")
            }
        }
        if !report.recentJournal.isEmpty {
            lines.append("")
            lines.append("recent journal:")
            lines += report.recentJournal.map { "  " + JournalView.line($0) }
        }
        return lines.joined(separator: "\n")
    }
}
