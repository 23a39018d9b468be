/// Sizes of the canonical store, for `syncctl status`.
public struct StoreCounts: Codable, Sendable, Equatable {
    public var customers: Int64 = 0
    public var mergedCustomers: Int64 = 0
    public var interactions: Int64 = 0
    public var identifiers: Int64 = 0
    public var openConflicts: Int64 = 0
    public var quarantined: Int64 = 0
    /// Quarantine entries an operator retried, waiting for their connector's next poll.
    public var quarantineRetrying: Int64 = 0
    public var journalHead: Int64 = 0

    public init() {}
}
