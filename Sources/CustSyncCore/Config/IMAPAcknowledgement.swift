/// What an `imap` connector does to the messages of a batch once that batch committed
/// (`Acknowledge=` and `MoveTo=` in `[IMAP]`).
public enum IMAPAcknowledgement: Sendable, Equatable {
    /// Nothing: the mailbox is opened read-only (EXAMINE) and stays as it is.
    case none
    /// Sets the `\Seen` flag.
    case seen
    /// Moves the messages to this folder, which must exist.
    case move(to: String)

    /// The mailbox has to be opened read-write (SELECT) to acknowledge.
    public var changesMailbox: Bool { self != .none }
}
