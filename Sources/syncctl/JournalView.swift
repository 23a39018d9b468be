import CustSyncCore
import Foundation

/// One journal entry on one line, cut to the terminal's width: sequence, local time, kind,
/// source, customer, and as much of the detail as fits.
enum JournalView {
    static func line(_ entry: JournalEntry, width: Int = Output.width) -> String {
        let head = "\(entry.seq)  \(Output.localTime(entry.at))  \(entry.kind)  \(entry.source)  \(entry.customerCode ?? "-")"
        guard var detail = entry.after ?? entry.before, !detail.isEmpty else { return Output.truncate(head, width) }
        if entry.kind == JournalKind.adminAction.rawValue, let action = try? ControlJSON.decoder().decode(AdminAction.self, from: Data(detail.utf8)) {
            let arguments = action.arguments.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
            detail = "\(action.user) (\(action.role.rawValue)): \(action.command)\(arguments.isEmpty ? "" : " " + arguments) → \(action.outcome)"
        }
        let room = width - Output.displayWidth(head) - 2
        return room >= 12 ? head + "  " + Output.truncate(detail, room) : Output.truncate(head, width)
    }
}
