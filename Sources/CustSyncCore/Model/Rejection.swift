/// Input a connector could not turn into a record. It is quarantined with its reason
/// and journaled as `record.rejected`; the rest of the batch goes on.
public struct Rejection: Sendable, Equatable {
    public var origin: String
    public var reason: String
    public var raw: String

    public init(origin: String, reason: String, raw: String) {
        self.origin = origin
        self.reason = reason
        self.raw = raw
    }
}
