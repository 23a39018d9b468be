import CustSyncCore
import Foundation

/// One journal entry on one line.
enum JournalView {
    static func line(_ entry: JournalEntry) -> String {
        let time = ISO8601.string(entry.at)
        let customer = entry.customerCode ?? "-"
        let detail = entry.after ?? entry.before ?? ""
        return Output.truncate("\(entry.seq)  \(time)  \(entry.kind)  \(entry.source)  \(customer)  \(detail)", 200)
    }
}
