import CustSyncCore
import Foundation

/// Where an `imap` connector is in its mailbox: the mailbox's UIDVALIDITY and the highest UID
/// committed. Stored as JSON (`{"mailbox":"INBOX","uidValidity":7,"lastUID":42}`). A different
/// UIDVALIDITY means the UIDs were reassigned: the mailbox is read again from UID 1 and the
/// messages already recorded are recognised by their Message-ID (or header hash).
struct IMAPCursor: Codable, Equatable, Sendable {
    var mailbox: String
    var uidValidity: UInt32
    var lastUID: UInt32

    init(mailbox: String, uidValidity: UInt32, lastUID: UInt32) {
        self.mailbox = mailbox
        self.uidValidity = uidValidity
        self.lastUID = lastUID
    }

    /// `nil` when `cursor` is not an IMAP cursor (another kind's, or damaged).
    init?(_ cursor: Cursor) {
        guard let decoded = try? JSONDecoder().decode(IMAPCursor.self, from: Data(cursor.value.utf8)) else { return nil }
        self = decoded
    }

    var cursor: Cursor {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = (try? encoder.encode(self)) ?? Data()
        return Cursor(String(decoding: data, as: UTF8.self))
    }
}
