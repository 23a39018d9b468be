import CustSyncCore
import Foundation

/// `syncctl status` for people: fits 80 columns.
enum StatusView {
    static func render(_ report: StatusReport, now: Date = Date(), width: Int = Output.width) -> String {
        var lines: [String] = []
        let d = report.daemon
        lines.append("custsyncd \(d.version), pid \(d.pid), up \(Output.duration(now.timeIntervalSince(d.startedAt)))")
        lines.append("verdict: \(Output.verdict(report.verdict)) — \(report.verdictReason)")
        lines.append(Output.truncate("store: \(d.store)", width))
        let health = report.storeHealth
        if let message = health.message {
            let when = "since \(Output.relative(health.since, now: now))"
                + (health.nextProbe.map { ", next try \(Output.relative($0, now: now))" } ?? "")
            lines.append(Output.red("  " + Output.wrap("INGESTION PAUSED: \(message) (\(when))", width: width, indent: 4)))
        }
        if let s = report.store {
            lines.append("  \(s.customers) customers (\(s.mergedCustomers) merged), \(s.interactions) interactions, journal head \(s.journalHead)")
            var review = "  review: \(s.openConflicts) open conflicts, \(s.quarantined) quarantined"
            if s.quarantineRetrying > 0 { review += " (\(s.quarantineRetrying) retrying)" }
            lines.append(review)
        } else {
            lines.append("  counts unavailable: the store cannot be read")
        }
        if let backup = report.backup { lines.append(Output.truncate("  " + BackupText.summary(backup, now: now), width)) }
        lines.append("")
        let rows = report.connectors.map { c in
            [c.name, c.kind, c.state, "\(c.recordsIn)/\(c.applied)/\(c.rejected)",
             Output.relative(c.lastSuccess, now: now), Output.relative(c.nextPoll, now: now)]
        }
        lines.append(Output.table(["CONNECTOR", "KIND", "STATE", "IN/APPLIED/REJ", "LAST OK", "NEXT"], rows,
                                  flexible: [0], width: width, colour: [2: Output.state]))
        for c in report.connectors {
            if let cursor = c.cursor { lines.append(Output.truncate("  \(c.name) cursor: \(cursor)", width)) }
            lines += WaitingFileText.lines(c, now: now, width: width)
            if let error = c.lastError {
                let failures = c.consecutiveFailures > 0
                    ? ", \(c.consecutiveFailures) failed poll\(c.consecutiveFailures == 1 ? "" : "s") in a row" : ""
                lines.append("  " + Output.wrap("\(c.name) last error (\(Output.relative(c.lastErrorAt, now: now))\(failures)): \(error)",
                                                width: width, indent: 4))
            }
        }
        if !report.recentJournal.isEmpty {
            lines.append("")
            lines.append("recent journal:")
            lines += report.recentJournal.map { "  " + JournalView.line($0, width: width - 2) }
        }
        return lines.joined(separator: "\n")
    }
}
