import CCurl
import CustSyncCore
import Foundation

/// Reads a mailbox over IMAP (`Kind=imap`): each message from a customer becomes a customer
/// record with an `.email` interaction (`MailRecordMapper`). Incremental by UID: the cursor is
/// the mailbox's UIDVALIDITY and the last committed UID; messages are fetched read-only
/// (`BODY.PEEK[]`) and delivered in batches of `context.batchSize`, each with the cursor of its
/// last message. After a UIDVALIDITY change the mailbox is read again from UID 1; keys depend
/// only on the message, so the engine recognises what it already recorded.
public final class IMAPConnector: Connector {
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
        guard settings.server.lowercased().hasPrefix("imaps://") || settings.server.lowercased().hasPrefix("imap://") else {
            throw ConnectorError("Server=\(settings.server) is not an imap:// or imaps:// URL", permanent: true)
        }
        guard case let .basic(user, password)? = try FeedCredentials.authentication(for: .basic(settings.credential),
                                                                                    environment: environment) else {
            throw ConnectorError("\(settings.credential) must hold user:password", permanent: true)
        }
        let session: IMAPSession
        do {
            session = try IMAPSession(settings: settings, user: user, password: password,
                                      shouldCancel: { context.stopWasRequested })
        } catch {
            throw ConnectorError(error.description, permanent: true)
        }
        let mailbox = settings.mailbox
        let statusBytes = try run(session, "STATUS \(quoted(mailbox)) (MESSAGES UIDNEXT UIDVALIDITY)", user: user)
        guard let status = IMAPResponse.status(statusBytes), let validity = status.uidValidity else {
            throw ConnectorError("the IMAP server did not report UIDVALIDITY for \(mailbox)")
        }
        var state = IMAPCursor(mailbox: mailbox, uidValidity: validity, lastUID: 0)
        if let cursor {
            if let stored = IMAPCursor(cursor), stored.mailbox == mailbox {
                if stored.uidValidity == validity {
                    state = stored
                } else {
                    log("event=imap.resync connector=\(name) mailbox=\(mailbox) old_uidvalidity=\(stored.uidValidity) new_uidvalidity=\(validity) reason=\"UIDVALIDITY changed; reading the mailbox again, recorded messages are recognised by Message-ID\"")
                }
            } else {
                log("event=imap.cursor_ignored connector=\(name) reason=\"stored cursor is not for this mailbox; reading from UID 1\"")
            }
        }
        if let next = status.uidNext, next <= state.lastUID + 1 { return }
        let searchBytes = try run(session, "UID SEARCH UID \(state.lastUID + 1):*", mailbox: mailbox,
                                  uidValidity: validity, user: user)
        // `n:*` always matches the highest UID, even when it is below n. libcurl passes the
        // untagged reply to both callbacks, so each UID may appear twice.
        let uids = Set(IMAPResponse.search(searchBytes).filter { $0 > state.lastUID }).sorted()
        var items: [Batch.Item] = []
        for uid in uids {
            if context.shouldStop { break }
            items.append(try fetch(uid, session: session, validity: validity, user: user))
            state.lastUID = uid
            if items.count >= max(1, context.batchSize) {
                try context.deliver(Batch(source: name, items: items, nextCursor: state.cursor))
                items = []
            }
        }
        if !items.isEmpty {
            try context.deliver(Batch(source: name, items: items, nextCursor: state.cursor))
        } else if uids.isEmpty, state != cursor.flatMap({ IMAPCursor($0) }) {
            // A new UIDVALIDITY with an empty mailbox: remember it so the next poll does not resync.
            try context.deliver(Batch(source: name, items: [], nextCursor: state.cursor))
        }
    }

    private func fetch(_ uid: UInt32, session: IMAPSession, validity: UInt32, user: String) throws -> Batch.Item {
        let origin = "\(settings.mailbox) UIDVALIDITY \(validity) UID \(uid)"
        let received = Date()
        do throws(TransferError) {
            // INTERNALDATE stands in for a missing Date: header; unlike the time of the poll it
            // is the same when the mailbox is read again, so the interaction does not change.
            let bytes = try session.run("UID FETCH \(uid) (INTERNALDATE BODY.PEEK[])", mailbox: settings.mailbox,
                                        uidValidity: validity, limit: settings.maxMessageSize + 1024)
            guard let message = IMAPResponse.fetchedLiteral(bytes) else {
                return .skipped(origin: origin, reason: "message vanished before it was fetched (expunged)")
            }
            return mapper.item(parsing: message, origin: origin, receivedAt: IMAPResponse.internalDate(bytes) ?? received)
        } catch let error where error.kind == .tooLarge(limit: settings.maxMessageSize + 1024) {
            let bytes = try run(session, "UID FETCH \(uid) BODY.PEEK[HEADER]", mailbox: settings.mailbox,
                                uidValidity: validity, user: user)
            guard let header = IMAPResponse.fetchedLiteral(bytes) else {
                return .skipped(origin: origin, reason: "message vanished before it was fetched (expunged)")
            }
            return mapper.item(parsing: header, origin: origin, receivedAt: received, headersOnly: true)
        } catch {
            throw connectorError(error, user: user)
        }
    }

    private func run(_ session: IMAPSession, _ command: String, mailbox: String? = nil, uidValidity: UInt32? = nil,
                     user: String) throws(ConnectorError) -> [UInt8] {
        do {
            return try session.run(command, mailbox: mailbox, uidValidity: uidValidity)
        } catch {
            throw connectorError(error, user: user)
        }
    }

    private func connectorError(_ error: TransferError, user: String) -> ConnectorError {
        switch Int(error.code) {
        case Int(CURLE_LOGIN_DENIED.rawValue):
            return ConnectorError("the IMAP server refused the login of user \(user) at \(settings.server): check the user name and password in \(settings.credential)", permanent: true)
        case Int(CURLE_REMOTE_FILE_NOT_FOUND.rawValue):
            return ConnectorError("mailbox \(settings.mailbox) at \(settings.server) is missing or its UIDVALIDITY changed during the poll; the next poll reads it again")
        case Int(CURLE_USE_SSL_FAILED.rawValue):
            return ConnectorError("\(settings.server) does not offer STARTTLS; use imaps:// or a server that does", permanent: true)
        default:
            return ConnectorError("IMAP \(settings.server): \(error.description)", permanent: error.kind == .certificate)
        }
    }

    private func quoted(_ mailbox: String) -> String {
        "\"" + mailbox.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}
