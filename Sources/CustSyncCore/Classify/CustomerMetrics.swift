import Foundation

/// What classification knows about one customer (its merged aliases included).
public struct CustomerMetrics: Sendable, Equatable {
    public var orders = 0
    public var ordersInLoyalWindow = 0
    /// Sum of order amounts in the configured currency.
    public var totalSpent = 0.0
    public var firstOrder: Date?
    public var lastOrder: Date?
    public var lastInteraction: Date?
    public var calls = 0
    public var emails = 0

    public init() {}

    public var averageOrder: Double { orders == 0 ? 0 : totalSpent / Double(orders) }

    /// Reads the metrics of `code` and the customers merged into it. Cancelled and refunded
    /// orders do not count. The interactions are read through the customer index and summed
    /// here: for the handful most customers have, that is several times cheaper than SQLite's
    /// filtered aggregates. One statement reads the customer's own and its aliases' (through
    /// the survivor index): the writer runs it for every customer a batch touches, and an
    /// `IN (subquery)` over the aliases would build a temporary table on every call.
    static func read(code: String, connection: SQLiteConnection, settings: ClassificationSettings, now: Date) throws -> CustomerMetrics {
        let loyalSince = now.addingTimeInterval(-Double(settings.lifecycle.loyalWindowDays) * 86_400)
        let currency = settings.tiers.currency.uppercased()
        var metrics = CustomerMetrics()
        try connection.prepared("""
            SELECT kind, status, occurred_at, amount, currency FROM interactions WHERE customer_code = ?1
            UNION ALL
            SELECT i.kind, i.status, i.occurred_at, i.amount, i.currency
            FROM customers c JOIN interactions i ON i.customer_code = c.code WHERE c.merged_into = ?1
            """).forEach([code]) { row in metrics.add(row, loyalSince: loyalSince, currency: currency) }
        return metrics
    }

    /// Order statuses that do not count as orders, in lower case: shops write them in any case
    /// (`Cancelled`, `REFUNDED`), and the status is compared lower-cased, here and in the
    /// quintiles (`Engine.refreshQuintiles`).
    static let uncountedStatuses: Set<String> = ["cancelled", "canceled", "refunded"]

    /// Adds one interaction (`kind, status, occurred_at, amount, currency`).
    private mutating func add(_ row: Row, loyalSince: Date, currency: String) {
        let at = row.date(2)
        if let at { lastInteraction = max(lastInteraction ?? at, at) }
        switch row.string(0) {
        case "order":
            // Checked before the dates too: a cancelled order is contact (`lastInteraction`),
            // but neither makes a customer new or active nor counts for recency, as in the
            // quintiles `Engine.refreshQuintiles` computes.
            guard !Self.uncountedStatuses.contains(row.string(1)?.lowercased() ?? "") else { return }
            if let at {
                firstOrder = min(firstOrder ?? at, at)
                lastOrder = max(lastOrder ?? at, at)
            }
            orders += 1
            if let at, at >= loyalSince { ordersInLoyalWindow += 1 }
            if row.string(4).map({ $0.uppercased() == currency }) ?? true { totalSpent += row.double(3) ?? 0 }
        case "call": calls += 1
        case "email": emails += 1
        default: break
        }
    }
}
