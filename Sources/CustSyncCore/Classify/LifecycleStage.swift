import Foundation

/// Where a customer is in their relationship with the company.
public enum LifecycleStage: String, CaseIterable, Sendable, Codable {
    case potential, new, active, loyal, dormant, churned

    /// The stage `metrics` put a customer in at `now`. Silence wins over history: a customer
    /// with no interaction for `ChurnedDays` is churned however many orders they once placed.
    /// A customer who has ordered but not within `ActiveDays` (and is neither new nor loyal)
    /// counts as `dormant` even while still in contact: for sales, that customer has gone quiet.
    public static func of(_ metrics: CustomerMetrics, settings: LifecycleSettings, now: Date) -> LifecycleStage {
        func days(since date: Date?) -> Double? { date.map { now.timeIntervalSince($0) / 86_400 } }
        if let silence = days(since: metrics.lastInteraction) {
            if silence >= Double(settings.churnedDays) { return .churned }
            if silence >= Double(settings.dormantDays) { return .dormant }
        }
        guard metrics.orders > 0 else { return .potential }
        if metrics.ordersInLoyalWindow >= settings.loyalOrders { return .loyal }
        if let first = days(since: metrics.firstOrder), first <= Double(settings.newDays) { return .new }
        if let last = days(since: metrics.lastOrder), last <= Double(settings.activeDays) { return .active }
        return .dormant
    }
}
