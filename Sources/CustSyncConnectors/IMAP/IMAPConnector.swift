import CustSyncCore
import Foundation

/// Reads a mailbox over IMAP (`Kind=imap`): each message from a customer becomes a customer
/// record with an `.email` interaction (`MailRecordMapper`).
///
/// Incremental by UID: the cursor (`IMAPCursor`) is the mailbox's UIDVALIDITY and the last
/// committed UID. Each poll lists the new UIDs in windows and fetches them in groups
/// (`IMAPMessageReader`), delivering batches of `context.batchSize`, each with the cursor of its
/// last message. After a UIDVALIDITY change the mailbox is read again from UID 1; keys depend
/// only on the message, so the engine recognises what it already recorded.
///
/// With `Acknowledge=none` the mailbox is opened read-only (EXAMINE) and nothing in it changes.
/// With `seen` or `move`, it is SELECTed and each batch's messages are flagged or moved right
/// after the batch committed, never before: a crash in between leaves them committed but not
/// acknowledged, which the cursor records, and the next poll acknowledges them first.
public final class IMAPConnector: Connector {
    /// UIDs listed per `UID FETCH … (UID RFC822.SIZE INTERNALDATE)`: about 90 KiB of response,
    /// well below what libcurl accepts for one command (see `IMAPMessageReader`). A batch never
    /// spans two windows, so batches hold at most this many messages.
    static let listingWindow: UInt32 = 1000

    public let name: String
    let settings: IMAPSettings
    let environment: [String: String]
    let log: @Sendable (String) -> Void
    private let mapper: MailRecordMapper

    public init(name: String, settings: IMAPSettings,
                environment: [String: String] = ProcessInfo.processInfo.environment,
                log: @escaping @Sendable (String) -> Void = { _ in }) {
        self.name = name
        self.settings = settings
        self.environment = environment
        self.log = log
        self.mapper = MailRecordMapper(internalDomains: settings.internalDomains, snippetLength: settings.snippetLength)
    }

    public func poll(from cursor: Cursor?, context: PollContext) throws {
        guard case let .basic(user, password)? = try FeedCredentials.authentication(for: .basic(settings.credential),
                                                                                    environment: environment) else {
            throw ConnectorError("\(settings.credential) must hold user:password", permanent: true)
        }
        let session = try IMAPSession(settings: settings, user: user, password: password,
                                      pollDeadline: context.deadline, shouldCancel: { context.stopWasRequested })
        let mailbox = settings.mailbox
        let status = try session.open(mailbox, writable: settings.acknowledge.changesMailbox)
        guard let validity = status.uidValidity, let uidNext = status.uidNext else {
            throw ConnectorError("\(settings.server) did not report UIDVALIDITY and UIDNEXT for \(mailbox), which reading by UID needs")
        }
        let stored = cursor.flatMap { IMAPCursor($0) }
        var state = startingState(stored, validity: validity, uidNext: uidNext)
        let acknowledger = try IMAPAcknowledger(session: session, acknowledgement: settings.acknowledge, server: settings.server)
        if let pending = state.pendingAcknowledgement {
            if let acknowledger {
                try acknowledger.acknowledge(pending)
                log("event=imap.acknowledged_leftover connector=\(name) mailbox=\(mailbox) uids=\(pending.lowerBound):\(pending.upperBound) reason=\"committed by an earlier poll that stopped before acknowledging them\"")
            }
            state.acknowledgedUID = state.lastUID
        }

        let reader = IMAPMessageReader(session: session, mapper: mapper, mailbox: mailbox, uidValidity: validity,
                                       maxMessageSize: settings.maxMessageSize)
        let batchSize = max(1, context.batchSize)
        var committed = stored
        var next = UInt64(state.lastUID) + 1
        let last = UInt64(max(uidNext, 1)) - 1
        do {
            reading: while next <= last {
                let windowEnd = UInt32(min(last, next + UInt64(Self.listingWindow) - 1))
                let listed = try reader.list(UInt32(next)...windowEnd)
                var start = listed.startIndex
                while start < listed.endIndex {
                    if context.shouldStop { break reading }
                    let chunk = listed[start..<min(listed.endIndex, start + batchSize)]
                    let items = try reader.items(for: chunk)
                    start = chunk.endIndex
                    // Past the chunk's last message; past the window once it is done, since UIDs
                    // below UIDNEXT are never given out again.
                    state.lastUID = start == listed.endIndex ? windowEnd : chunk[chunk.endIndex - 1].uid
                    if acknowledger == nil { state.acknowledgedUID = state.lastUID }
                    try context.deliver(Batch(source: name, items: items, nextCursor: state.cursor))
                    committed = state
                    if let acknowledger, let pending = state.pendingAcknowledgement {
                        try acknowledger.acknowledge(pending)
                        state.acknowledgedUID = state.lastUID
                    }
                }
                if listed.isEmpty {
                    let nothingWaiting = state.pendingAcknowledgement == nil
                    state.lastUID = windowEnd
                    if nothingWaiting { state.acknowledgedUID = windowEnd }
                }
                next = UInt64(windowEnd) + 1
                if context.shouldStop { break }
            }
        } catch where session.reachedPollDeadline && committed != stored {
            // The poll's Timeout= came in the middle of a command. The batches before it are
            // committed and the cursor is past them only: the poll ends as if it had stopped
            // between batches, and the next one goes on from there.
            log("event=imap.deadline connector=\(name) mailbox=\(mailbox) last_uid=\(committed?.lastUID ?? 0) reason=\"\(error)\"")
            return
        }
        // Remember what the last batch could not carry: the acknowledgement after it, a window
        // without messages, or a new UIDVALIDITY of an empty mailbox.
        if state != committed {
            try context.deliver(Batch(source: name, items: [], nextCursor: state.cursor))
        }
    }

    /// The stored cursor if it is for this mailbox and UIDVALIDITY and the server's UIDs are
    /// still past it, else the start of the mailbox.
    private func startingState(_ stored: IMAPCursor?, validity: UInt32, uidNext: UInt32) -> IMAPCursor {
        let mailbox = settings.mailbox
        guard let stored, stored.mailbox == mailbox else {
            if stored != nil {
                log("event=imap.cursor_ignored connector=\(name) reason=\"stored cursor is not for mailbox \(mailbox); reading from UID 1\"")
            }
            return IMAPCursor(mailbox: mailbox, uidValidity: validity, lastUID: 0)
        }
        guard stored.uidValidity == validity else {
            log("event=imap.resync connector=\(name) mailbox=\(mailbox) old_uidvalidity=\(stored.uidValidity) new_uidvalidity=\(validity) reason=\"UIDVALIDITY changed; reading the mailbox again, recorded messages are recognised by Message-ID\"")
            return IMAPCursor(mailbox: mailbox, uidValidity: validity, lastUID: 0)
        }
        // UIDNEXT never goes back under one UIDVALIDITY, except on a server that gives out UIDs
        // again (restored from a backup with its UID list): the new mail under the UIDs already
        // read would be skipped for good.
        guard stored.lastUID < max(uidNext, 1) else {
            log("event=imap.resync connector=\(name) mailbox=\(mailbox) uidvalidity=\(validity) uidnext=\(uidNext) last_uid=\(stored.lastUID) reason=\"UIDNEXT went back under the same UIDVALIDITY (the server was restored?); reading the mailbox again, recorded messages are recognised by Message-ID\"")
            return IMAPCursor(mailbox: mailbox, uidValidity: validity, lastUID: 0)
        }
        return stored
    }
}
