/// The answer to `journal`: matching entries, oldest first.
public struct JournalPage: Codable, Sendable {
    public var entries: [JournalEntry]
    /// The newest sequence number in the store.
    public var head: Int64
    /// Where the next page starts (`since` for it): past every entry this page looked at.
    public var next: Int64

    public init(entries: [JournalEntry], head: Int64, next: Int64) {
        self.entries = entries
        self.head = head
        self.next = next
    }
}
