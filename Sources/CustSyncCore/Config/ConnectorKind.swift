/// What kind of source a connector reads (`Kind=` in `[Connector]`).
public enum ConnectorKind: String, CaseIterable, Sendable, Codable, Hashable {
    /// Runs a program that prints records (`[Exec]`).
    case exec
    /// Picks up CSV files dropped into a folder (`[CSV]`).
    case csvDrop = "csv-drop"
    /// Polls an HTTP order feed (`[Feed]`).
    case orderFeed = "order-feed"
    /// Reads a mailbox (`[IMAP]`).
    case imap
}
