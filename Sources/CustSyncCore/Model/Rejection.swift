/// Input a connector could not turn into a record. It is quarantined with its reason
/// and journaled as `record.rejected`; the rest of the batch goes on.
public struct Rejection: Sendable, Equatable {
    public var origin: String
    public var reason: String
    public var raw: String
    /// The raw input split into its columns, when it is a CSV row that lines up with its header.
    public var columns: [RawColumn]?

    public init(origin: String, reason: String, raw: String, columns: [RawColumn]? = nil) {
        self.origin = origin
        self.reason = reason
        self.raw = raw
        self.columns = columns
    }
}
