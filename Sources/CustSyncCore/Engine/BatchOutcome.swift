/// What applying one batch did.
public struct BatchOutcome: Sendable, Equatable {
    public var applied = 0
    public var created = 0
    public var unchanged = 0
    public var rejected = 0
    public var skipped = 0
    /// Journal sequence numbers written by this batch, if any.
    public var journalRange: ClosedRange<Int64>?

    public init() {}

    public var recordsIn: Int { applied + unchanged + rejected + skipped }
}
