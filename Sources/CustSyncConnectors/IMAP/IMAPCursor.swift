import CustSyncCore
import Foundation

/// Where an `imap` connector is in its mailbox: the mailbox's UIDVALIDITY, the highest UID
/// committed, and the highest UID acknowledged after its commit. Stored as JSON
/// (`{"acknowledgedUID":42,"lastUID":42,"mailbox":"INBOX","uidValidity":7}`).
///
/// A different UIDVALIDITY means the UIDs were reassigned: the mailbox is read again from UID 1
/// and the messages already recorded are recognised by their Message-ID (or header hash). So
/// does a UIDNEXT not past `lastUID`: the server gives out UIDs again (restored from a backup).
/// `acknowledgedUID` below `lastUID` means a poll committed messages but stopped before it
/// flagged or moved them; the next poll acknowledges them first. Moving messages away leaves
/// the UIDs of the others unchanged, so the cursor stays valid.
struct IMAPCursor: Codable, Equatable, Sendable {
    var mailbox: String
    var uidValidity: UInt32
    var lastUID: UInt32
    var acknowledgedUID: UInt32

    init(mailbox: String, uidValidity: UInt32, lastUID: UInt32, acknowledgedUID: UInt32? = nil) {
        self.mailbox = mailbox
        self.uidValidity = uidValidity
        self.lastUID = lastUID
        self.acknowledgedUID = acknowledgedUID ?? lastUID
    }

    /// `nil` when `cursor` is not an IMAP cursor (another kind's, or damaged).
    init?(_ cursor: Cursor) {
        guard let decoded = try? JSONDecoder().decode(IMAPCursor.self, from: Data(cursor.value.utf8)) else { return nil }
        self = decoded
    }

    /// Cursors written before acknowledgement existed have nothing waiting.
    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        mailbox = try container.decode(String.self, forKey: .mailbox)
        uidValidity = try container.decode(UInt32.self, forKey: .uidValidity)
        lastUID = try container.decode(UInt32.self, forKey: .lastUID)
        acknowledgedUID = min(lastUID, try container.decodeIfPresent(UInt32.self, forKey: .acknowledgedUID) ?? lastUID)
    }

    /// Committed but not yet acknowledged, if any.
    var pendingAcknowledgement: ClosedRange<UInt32>? {
        acknowledgedUID < lastUID ? (acknowledgedUID + 1)...lastUID : nil
    }

    var cursor: Cursor {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = (try? encoder.encode(self)) ?? Data()
        return Cursor(String(decoding: data, as: UTF8.self))
    }
}
