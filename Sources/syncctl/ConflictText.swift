import CustSyncCore
import Foundation

/// Conflicts for people.
enum ConflictText {
    static func list(_ list: ConflictList, now: Date = Date()) -> String {
        guard !list.conflicts.isEmpty else { return "no conflicts" }
        var text = Output.table(["ID", "KIND", "CUSTOMER", "FIELD/OTHER", "OPENED", "REASON"],
                                list.conflicts.map { [String($0.id), $0.kind, $0.customer, $0.field ?? $0.other ?? "",
                                                      Output.relative($0.openedAt, now: now), $0.reason] },
                                flexible: [5])
        if list.more { text += "\n(more: --after \(list.conflicts.last?.id ?? 0))" }
        return text
    }

    static func render(_ conflict: ConflictView, now: Date = Date()) -> String {
        var pairs: [(String, String)] = [("conflict", "\(conflict.id) (\(conflict.kind), \(conflict.status))"),
                                         ("customer", conflict.customer)]
        if let field = conflict.field { pairs.append(("field", field)) }
        if let value = conflict.currentValue { pairs.append(("current value", value)) }
        if let other = conflict.other { pairs.append(("other customer", other)) }
        pairs.append(("reason", conflict.reason))
        pairs.append(("opened", "\(Output.localTime(conflict.openedAt)) (\(Output.relative(conflict.openedAt, now: now)))"))
        if let resolved = conflict.resolvedAt { pairs.append(("resolved", Output.localTime(resolved))) }
        if let resolution = conflict.resolution { pairs.append(("resolution", resolution)) }
        var lines = [Output.fields(pairs), "", "candidates:"]
        let candidates = (try? JSONSerialization.jsonObject(with: Data(conflict.candidates.utf8))) as? [Any] ?? []
        for candidate in candidates {
            if let object = candidate as? [String: Any] {
                let value = object["value"] as? String ?? "?"
                let source = object["source"] as? String ?? "?"
                let observed = (object["observed_at"] as? String).flatMap(ISO8601.date).map { Output.relative($0, now: now) } ?? "?"
                lines.append(Output.truncate("  \(value)  (from \(source), observed \(observed))", Output.width))
            } else {
                lines.append("  \(candidate)")
            }
        }
        return lines.joined(separator: "\n")
    }
}
