import Foundation

/// The four boundaries between the five scores of each RFM dimension: fixed from the
/// configuration, or the 20/40/60/80th percentiles over the store (quintiles), which the daily
/// sweep recomputes and keeps in `classification_state`.
public struct RFMBoundaries: Sendable, Equatable, Codable {
    /// Days since the last order; a value above a boundary loses a point.
    public var recency: [Double]
    /// Order counts; reaching a boundary gains a point.
    public var frequency: [Double]
    /// Amounts spent; reaching a boundary gains a point.
    public var monetary: [Double]

    public init(recency: [Double], frequency: [Double], monetary: [Double]) {
        self.recency = recency
        self.frequency = frequency
        self.monetary = monetary
    }

    public init(fixed settings: TierSettings) {
        self.init(recency: settings.recencyDays, frequency: settings.frequencyOrders, monetary: settings.monetaryAmounts)
    }

    /// Quintile boundaries of the given per-customer values. For frequency and monetary value a
    /// boundary is the smallest value of the next quintile, so ties never split across scores
    /// in a way that favours the lower one.
    public static func quintiles(recencyDays: [Double], orders: [Double], spent: [Double]) -> RFMBoundaries? {
        guard !orders.isEmpty else { return nil }
        func cuts(_ values: [Double]) -> [Double] {
            let sorted = values.sorted()
            return (1...4).map { sorted[min(sorted.count - 1, sorted.count * $0 / 5)] }
        }
        return RFMBoundaries(recency: cuts(recencyDays), frequency: cuts(orders), monetary: cuts(spent))
    }
}
