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
    /// orders do not count.
    static func read(code: String, connection: SQLiteConnection, settings: ClassificationSettings, now: Date) throws -> CustomerMetrics {
        let loyalSince = now.addingTimeInterval(-Double(settings.lifecycle.loyalWindowDays) * 86_400)
        guard let row = try connection.prepared("""
            SELECT
              count(*) FILTER (WHERE kind = 'order' AND coalesce(status, '') NOT IN ('cancelled', 'canceled', 'refunded')),
              count(*) FILTER (WHERE kind = 'order' AND coalesce(status, '') NOT IN ('cancelled', 'canceled', 'refunded') AND occurred_at >= ?1),
              coalesce(sum(amount) FILTER (WHERE kind = 'order' AND coalesce(status, '') NOT IN ('cancelled', 'canceled', 'refunded')
                                            AND (currency IS NULL OR upper(currency) = ?2)), 0),
              min(occurred_at) FILTER (WHERE kind = 'order'),
              max(occurred_at) FILTER (WHERE kind = 'order'),
              max(occurred_at),
              count(*) FILTER (WHERE kind = 'call'),
              count(*) FILTER (WHERE kind = 'email')
            FROM interactions
            WHERE customer_code IN (SELECT ?3 UNION ALL SELECT code FROM customers WHERE merged_into = ?3)
            """).first([loyalSince, settings.tiers.currency, code]) else { return CustomerMetrics() }
        var metrics = CustomerMetrics()
        metrics.orders = Int(row.int(0) ?? 0)
        metrics.ordersInLoyalWindow = Int(row.int(1) ?? 0)
        metrics.totalSpent = row.double(2) ?? 0
        metrics.firstOrder = row.date(3)
        metrics.lastOrder = row.date(4)
        metrics.lastInteraction = row.date(5)
        metrics.calls = Int(row.int(6) ?? 0)
        metrics.emails = Int(row.int(7) ?? 0)
        return metrics
    }
}
