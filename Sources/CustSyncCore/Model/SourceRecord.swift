import Foundation

/// One record as a connector read it, before normalization.
public struct SourceRecord: Sendable, Equatable {
    /// The source's own key for this customer record (a customer id, a phone, a sender address).
    public var key: String
    /// When the source observed these values; drives the `newest` policy.
    public var observedAt: Date
    public var fields: [CanonicalField: String]
    public var interaction: Interaction?
    /// Where it came from, for people (`calls.csv line 42`, `UID 1234`, `page …`).
    public var origin: String
    /// The raw text it was read from, kept for quarantine; not journaled.
    public var raw: String
    /// How to split `raw` into its columns, for a CSV row (see `RawColumn`).
    public var rawLayout: CSVRowLayout?

    public init(key: String, observedAt: Date, fields: [CanonicalField: String],
                interaction: Interaction? = nil, origin: String, raw: String = "", rawLayout: CSVRowLayout? = nil) {
        self.key = key
        self.observedAt = observedAt
        self.fields = fields
        self.interaction = interaction
        self.origin = origin
        self.raw = raw
        self.rawLayout = rawLayout
    }
}
