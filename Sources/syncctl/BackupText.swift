import CustSyncCore
import Foundation

/// Backups for people: the line in `status`, `backup`'s answer and the `backups` list.
enum BackupText {
    static func summary(_ backup: BackupStatus, now: Date = Date()) -> String {
        var text = "backup: "
        if let last = backup.lastAt {
            text += "last \(Output.relative(last, now: now))"
        } else {
            text += "none yet"
        }
        if backup.intervalSeconds > 0 {
            text += ", next \(Output.relative(backup.nextAt, now: now)) (every \(Output.duration(backup.intervalSeconds)), keep \(backup.keep))"
        } else {
            text += ", scheduled backups off"
        }
        if let error = backup.lastError { text += "; " + Output.red("FAILED \(Output.relative(backup.lastErrorAt, now: now)): \(error)") }
        return text
    }

    static func result(_ result: BackupResult) -> String {
        var lines = ["backup written: \(result.path)",
                     "  \(Output.bytes(result.bytes)) in \(String(format: "%.1f", result.seconds)) s, integrity check \(result.integrity)"]
        if let copy = result.secondaryPath { lines.append("  copy: \(copy)") }
        if let error = result.secondaryError { lines.append("  " + Output.red("copy to the second folder failed: \(error)")) }
        return lines.joined(separator: "\n")
    }

    static func list(_ list: BackupList, now: Date = Date()) -> String {
        var lines = ["backup folder: \(list.directory)"]
        if let secondary = list.secondaryDirectory { lines.append("second folder: \(secondary)") }
        for problem in list.problems { lines.append(Output.yellow("note: ") + problem) }
        lines.append("")
        if list.backups.isEmpty {
            lines.append("no backups yet; `syncctl backup` makes one")
        } else {
            // The name is what a restore needs: it is never cut.
            lines.append(Output.table(["NAME", "WHERE", "KIND", "SIZE", "AGE"],
                                      list.backups.map { [$0.name, $0.location, $0.kind, Output.bytes($0.bytes),
                                                          Output.relative($0.createdAt, now: now)] }))
            lines.append("")
            lines.append("Restore one with: custsyncd --restore NAME (daemon stopped; see docs/RESTORE.md)")
        }
        return lines.joined(separator: "\n")
    }
}
