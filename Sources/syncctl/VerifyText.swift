import CustSyncCore

/// `syncctl verify` for people: one line per check, its problems below it.
enum VerifyText {
    static func render(_ report: VerifyReport) -> String {
        var lines: [String] = []
        for check in report.checks {
            let mark = check.ok ? Output.green("ok  ") : Output.red("FAIL")
            lines.append(Output.truncate("\(mark)  \(check.name): \(check.description)", Output.width + (Output.useColour ? 9 : 0)))
            for problem in check.problems { lines.append(Output.truncate("        \(problem)", Output.width)) }
            if check.problemCount > check.problems.count {
                lines.append("        … and \(check.problemCount - check.problems.count) more")
            }
        }
        lines.append("")
        lines.append(report.ok ? "\(report.store): no problems found"
                               : Output.red("\(report.store): problems found") + "; restoring a backup is described in docs/RESTORE.md")
        return lines.joined(separator: "\n")
    }
}
