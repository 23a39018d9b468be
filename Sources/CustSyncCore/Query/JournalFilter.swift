import Foundation

/// What `syncctl journal` narrows the journal by; the members combine with AND.
public struct JournalFilter: Sendable, Equatable {
    /// Entries with a greater sequence number.
    public var afterSeq: Int64?
    /// Entries at or after this time (when `afterSeq` is not given).
    public var since: Date?
    public var customer: String?
    /// A kind (`field.changed`), or a prefix ending in `.` or `.*` (`customer.*`).
    public var kind: String?
    public var source: String?

    public init(afterSeq: Int64? = nil, since: Date? = nil, customer: String? = nil, kind: String? = nil, source: String? = nil) {
        self.afterSeq = afterSeq
        self.since = since
        self.customer = customer
        self.kind = kind
        self.source = source
    }
}
