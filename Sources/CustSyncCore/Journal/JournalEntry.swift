import Foundation

/// One line of the append-only sync journal, as readers see it.
public struct JournalEntry: Sendable, Codable, Equatable {
    public var seq: Int64
    public var at: Date
    public var source: String
    public var kind: String
    public var customerCode: String?
    /// JSON text of the state before and after, when the kind has one.
    public var before: String?
    public var after: String?

    public init(seq: Int64, at: Date, source: String, kind: String, customerCode: String?,
                before: String?, after: String?) {
        self.seq = seq
        self.at = at
        self.source = source
        self.kind = kind
        self.customerCode = customerCode
        self.before = before
        self.after = after
    }

    enum CodingKeys: String, CodingKey {
        case seq, at, source, kind, before, after
        case customerCode = "customer"
    }
}
