/// What a connector hands the engine: records and rejections read since the last cursor,
/// and the cursor to commit with them. Applied in one transaction, or not at all.
public struct Batch: Sendable {
    public enum Item: Sendable {
        case record(SourceRecord)
        case rejected(Rejection)
        /// Input recognised and deliberately not applied (an auto-reply, a file already seen).
        case skipped(origin: String, reason: String)
    }

    public var source: String
    public var items: [Item]
    /// The cursor to store with this batch; `nil` keeps the current one.
    public var nextCursor: Cursor?
    /// Set on the batch that finishes an input: its content is recorded as done in the same
    /// transaction as the batch's cursor.
    public var completedContent: CompletedContent?

    public init(source: String, items: [Item], nextCursor: Cursor?, completedContent: CompletedContent? = nil) {
        self.source = source
        self.items = items
        self.nextCursor = nextCursor
        self.completedContent = completedContent
    }
}
