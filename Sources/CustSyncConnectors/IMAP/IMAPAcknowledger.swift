import CustSyncCore

/// Flags or moves committed messages in the SELECTed mailbox (`Acknowledge=seen|move`). Each
/// call takes a UID range: messages in it that are gone already (moved by an earlier, interrupted
/// acknowledgement) are simply not found, so repeating an acknowledgement is harmless.
struct IMAPAcknowledger {
    private enum Step {
        case flagSeen
        /// RFC 6851 `UID MOVE`.
        case move(folder: String)
        /// Without MOVE: `UID COPY`, flag `\Deleted`, and `UID EXPUNGE` (RFC 4315 UIDPLUS), which
        /// removes only these UIDs, never other messages someone flagged `\Deleted`.
        case copyAndExpunge(folder: String)
    }

    private let session: IMAPSession
    private let step: Step

    /// `nil` for `Acknowledge=none`. For a move, asks the server which commands it offers.
    init?(session: IMAPSession, acknowledgement: IMAPAcknowledgement, server: String) throws(ConnectorError) {
        self.session = session
        switch acknowledgement {
        case .none:
            return nil
        case .seen:
            step = .flagSeen
        case .move(let folder):
            let capabilities = try session.capabilities()
            if capabilities.contains("MOVE") {
                step = .move(folder: folder)
            } else if capabilities.contains("UIDPLUS") {
                step = .copyAndExpunge(folder: folder)
            } else {
                throw ConnectorError("\(server) supports neither MOVE nor UIDPLUS, so messages cannot be moved without touching other deleted mail: use Acknowledge=seen", permanent: true)
            }
        }
    }

    func acknowledge(_ uids: ClosedRange<UInt32>) throws(ConnectorError) {
        let set = "\(uids.lowerBound):\(uids.upperBound)"
        switch step {
        case .flagSeen:
            _ = try session.run("UID STORE \(set) +FLAGS.SILENT (\\Seen)", limit: 1 << 20)
        case .move(let folder):
            _ = try session.run("UID MOVE \(set) \(IMAPMailboxName.quoted(folder))", limit: 16 << 20, hint: hint(folder))
        case .copyAndExpunge(let folder):
            _ = try session.run("UID COPY \(set) \(IMAPMailboxName.quoted(folder))", limit: 1 << 20, hint: hint(folder))
            _ = try session.run("UID STORE \(set) +FLAGS.SILENT (\\Deleted)", limit: 1 << 20)
            _ = try session.run("UID EXPUNGE \(set)", limit: 16 << 20)
        }
    }

    private func hint(_ folder: String) -> String {
        "create the folder \(folder), or fix MoveTo=; the messages stay where they are and are moved on the next poll"
    }
}
