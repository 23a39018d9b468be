/// A field of an order, as a `[Mapping]` target of an `order-feed` connector.
public enum OrderField: String, CaseIterable, Sendable, Hashable {
    /// The feed's id for the order: the interaction's key, so a changed order updates the same one.
    case orderID = "order_id"
    /// The feed's id for the customer: the source key of the customer record (else the order id).
    case customerID = "customer_id"
    case status
    /// When the order was placed (else `updated_at`).
    case orderedAt = "ordered_at"
    /// When the order last changed: drives the `newest` policy and `updated_since` paging.
    case updatedAt = "updated_at"
    /// The order lines, kept as JSON.
    case items
    case total
    case currency

    /// The path read when `[Mapping]` does not map this field.
    public var defaultPath: String {
        self == .orderID ? "id" : rawValue
    }
}
