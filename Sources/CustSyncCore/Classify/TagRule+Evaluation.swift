import Foundation

extension TagRule {
    /// Whether every condition holds for a customer.
    func holds(metrics: CustomerMetrics, rfm: RFMScore?, values: [String: String], now: Date) -> Bool {
        conditions.allSatisfy { $0.holds(metrics: metrics, rfm: rfm, values: values, now: now) }
    }
}

extension TagRule.Condition {
    func holds(metrics: CustomerMetrics, rfm: RFMScore?, values: [String: String], now: Date) -> Bool {
        func days(_ date: Date?) -> Double? { date.map { now.timeIntervalSince($0) / 86_400 } }
        let number: Double?
        switch metric {
        case "orders": number = Double(metrics.orders)
        case "total_spent": number = metrics.totalSpent
        case "avg_order": number = metrics.orders == 0 ? nil : metrics.averageOrder
        case "days_since_last_order": number = days(metrics.lastOrder)
        case "days_since_last_interaction": number = days(metrics.lastInteraction)
        case "calls": number = Double(metrics.calls)
        case "emails": number = Double(metrics.emails)
        case "r": number = rfm.map { Double($0.r) }
        case "f": number = rfm.map { Double($0.f) }
        case "m": number = rfm.map { Double($0.m) }
        case "rfm": number = rfm.map { Double($0.total) }
        default:
            let text = values[metric] ?? ""
            switch op {
            case .eq: return text == value
            case .ne: return text != value
            default: return false
            }
        }
        guard let number, let threshold = Double(value) else { return false }
        switch op {
        case .eq: return number == threshold
        case .ne: return number != threshold
        case .lt: return number < threshold
        case .le: return number <= threshold
        case .gt: return number > threshold
        case .ge: return number >= threshold
        }
    }
}
