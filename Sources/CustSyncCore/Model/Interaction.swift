import Foundation

/// Something that happened between the customer and the company, as one source saw it.
/// `key` is the source's own identifier for it (order id, message id, file:row); together
/// with the source it is the idempotency key: a second record with the same key updates the
/// same interaction instead of creating another.
public struct Interaction: Sendable, Equatable {
    public var kind: InteractionKind
    public var key: String
    public var occurredAt: Date
    public var summary: String?
    public var status: String?
    public var amount: Double?
    public var currency: String?
    /// Further named attributes (agent, disposition, duration, items …), kept as JSON.
    public var details: [String: String]

    public init(kind: InteractionKind, key: String, occurredAt: Date, summary: String? = nil,
                status: String? = nil, amount: Double? = nil, currency: String? = nil,
                details: [String: String] = [:]) {
        self.kind = kind
        self.key = key
        self.occurredAt = occurredAt
        self.summary = summary
        self.status = status
        self.amount = amount
        self.currency = currency
        self.details = details
    }
}
