import Foundation

/// Recency, frequency and monetary value, each scored 1 (worst) to 5 (best).
public struct RFMScore: Sendable, Equatable, Codable, CustomStringConvertible {
    public var r: Int
    public var f: Int
    public var m: Int

    public init(r: Int, f: Int, m: Int) {
        self.r = r
        self.f = f
        self.m = m
    }

    public var total: Int { r + f + m }
    public var description: String { "R\(r) F\(f) M\(m)" }

    /// Scores `metrics` against boundaries (four ascending values each; see `RFMBoundaries`).
    /// Customers without orders have no RFM score.
    public static func of(_ metrics: CustomerMetrics, boundaries: RFMBoundaries, now: Date) -> RFMScore? {
        guard metrics.orders > 0, let last = metrics.lastOrder else { return nil }
        let recencyDays = now.timeIntervalSince(last) / 86_400
        return RFMScore(r: 5 - boundaries.recency.filter { recencyDays > $0 }.count,
                        f: 1 + boundaries.frequency.filter { Double(metrics.orders) >= $0 }.count,
                        m: 1 + boundaries.monetary.filter { metrics.totalSpent >= $0 }.count)
    }

    /// The first tier whose minimum the total reaches; customers without a score get the last.
    public static func tier(for score: RFMScore?, tiers: [(name: String, minimum: Int)]) -> String? {
        guard let score else { return tiers.last?.name }
        return tiers.first { score.total >= $0.minimum }?.name ?? tiers.last?.name
    }
}
