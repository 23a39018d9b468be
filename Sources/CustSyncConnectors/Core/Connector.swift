import CustSyncCore

/// A source of customer data. A poll reads from the committed cursor on and hands batches to
/// `context.deliver`, which returns only after the batch (records, journal and the batch's
/// cursor) has committed; the connector may then acknowledge upstream (archive a file, flag a
/// message). Polls run on their own thread and may block; they never touch the store.
public protocol Connector: AnyObject, Sendable {
    var name: String { get }
    func poll(from cursor: Cursor?, context: PollContext) throws
    /// Input seen but not taken yet (read from any thread, while a poll runs).
    var waitingFiles: [WaitingFile] { get }
}

extension Connector {
    /// Input seen but not taken yet, for `syncctl status`: none, unless the kind watches files.
    public var waitingFiles: [WaitingFile] { [] }
}
