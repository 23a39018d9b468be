@testable import CustSyncCore
import Foundation
import Synchronization
import XCTest

/// A clock tests move by hand.
final class TestClock: Sendable {
    private let current: Mutex<Date>
    init(_ start: Date) { current = Mutex(start) }
    var now: Date { current.withLock { $0 } }
    func advance(days: Double) { current.withLock { $0 = $0.addingTimeInterval(days * 86_400) } }
}

final class ClassificationTests: XCTestCase {
    let start = Date(timeIntervalSince1970: 1_800_000_000)

    func order(_ key: String, _ amount: Double, at date: Date, status: String = "paid") -> Interaction {
        Interaction(kind: .order, key: key, occurredAt: date, status: status, amount: amount, currency: "CNY")
    }

    func stage(_ engine: Engine) throws -> String? { try engine.value("SELECT stage FROM customers") }

    /// An engine on `store` that scores tiers by thresholds and tells time by `clock`.
    func thresholdsEngine(_ store: TemporaryStore, _ clock: TestClock) throws -> Engine {
        var settings = EngineSettings()
        settings.classification.tiers.scoring = .thresholds
        return try store.engine(settings: settings, now: { clock.now })
    }

    func testStagesFollowOrdersAndThePassageOfTime() throws {
        let store = TemporaryStore()
        let clock = TestClock(start)
        let engine = try thresholdsEngine(store, clock)
        func apply(_ key: String, _ interaction: Interaction?) throws {
            _ = try engine.apply(Batch(source: "shop", items: [.record(SourceRecord(
                key: "c1", observedAt: clock.now, fields: [.email: "a@example.com", .name: "Ann \(key)"],
                interaction: interaction, origin: key))], nextCursor: nil))
        }
        try apply("signup", nil)
        XCTAssertEqual(try stage(engine), "potential")
        try apply("o1", order("o1", 100, at: clock.now))
        XCTAssertEqual(try stage(engine), "new")
        clock.advance(days: 40)
        try apply("o2", order("o2", 100, at: clock.now))
        XCTAssertEqual(try stage(engine), "active")
        clock.advance(days: 10)
        try apply("o3", order("o3", 100, at: clock.now))
        XCTAssertEqual(try stage(engine), "loyal")
        // Outside the loyalty window and past ActiveDays, with a recent call: gone quiet.
        clock.advance(days: 370)
        try apply("call", Interaction(kind: .call, key: "k1", occurredAt: clock.now))
        XCTAssertEqual(try stage(engine), "dormant")
        try apply("o4", order("o4", 100, at: clock.now))
        XCTAssertEqual(try stage(engine), "active")
        // Time alone: the daily sweep finds the customer silent.
        clock.advance(days: 200)
        XCTAssertNil(try engine.sweepClassification(after: nil, limit: 100))
        XCTAssertEqual(try stage(engine), "dormant")
        clock.advance(days: 200)
        _ = try engine.sweepClassification(after: nil, limit: 100)
        XCTAssertEqual(try stage(engine), "churned")
        let changes = try engine.connection.prepared("""
            SELECT json_extract(after, '$.stage') FROM journal WHERE kind = 'lifecycle.changed' ORDER BY seq
            """).strings()
        XCTAssertEqual(changes, ["new", "active", "loyal", "dormant", "active", "dormant", "churned"])
        // A refund does not count as an order.
        try apply("o3r", order("o3", 100, at: clock.now, status: "refunded"))
        XCTAssertEqual(try engine.count("SELECT count(*) FROM interactions"), 5)
    }

    func testACustomerMergedInItsOwnBatchIsClassifiedAsItsSurvivor() throws {
        let store = TemporaryStore()
        let clock = TestClock(start)
        let engine = try thresholdsEngine(store, clock)
        func ann(_ key: String, _ fields: [CanonicalField: String]) -> Batch.Item {
            .record(SourceRecord(key: key, observedAt: clock.now, fields: fields.merging([.name: "Ann Lee"]) { a, _ in a },
                                 interaction: order("o-\(key)", 100, at: clock.now), origin: key))
        }
        // The third record holds the first's e-mail and the second's phone: the second customer
        // is merged into the first within the batch that touched both.
        _ = try engine.apply(Batch(source: "shop", items: [
            ann("c1", [.email: "ann@example.com"]),
            ann("c2", [.phone: "138 0013 8000"]),
            ann("c3", [.email: "ann@example.com", .phone: "13800138000"]),
        ], nextCursor: nil))
        let survivor = try XCTUnwrap(engine.value("SELECT code FROM customers WHERE merged_into IS NULL"))
        XCTAssertEqual(try engine.count("SELECT count(*) FROM customers WHERE merged_into = '\(survivor)'"), 1)
        // Classified once, as the survivor, with the absorbed customer's order counted.
        let changed = try engine.connection.prepared("""
            SELECT customer_code FROM journal WHERE kind = 'lifecycle.changed'
            """).strings()
        XCTAssertEqual(changed, [survivor])
        XCTAssertEqual(try engine.value("SELECT stage FROM customers WHERE merged_into IS NOT NULL"), "potential")
        let metrics = try CustomerMetrics.read(code: survivor, connection: engine.connection,
                                               settings: engine.settings.classification, now: clock.now)
        XCTAssertEqual(metrics.orders, 3)
        XCTAssertEqual(try engine.value("SELECT stage FROM customers WHERE code = '\(survivor)'"),
                       LifecycleStage.of(metrics, settings: engine.settings.classification.lifecycle, now: clock.now).rawValue)
    }

    func testCancelledAndRefundedOrdersDoNotDateTheOrders() throws {
        let store = TemporaryStore()
        let clock = TestClock(start)
        let engine = try thresholdsEngine(store, clock)
        func apply(_ customer: String, _ interaction: Interaction) throws {
            _ = try engine.apply(Batch(source: "shop", items: [.record(SourceRecord(
                key: customer, observedAt: clock.now, fields: [.email: "\(customer)@example.com", .name: "Ann \(customer)"],
                interaction: interaction, origin: interaction.key))], nextCursor: nil))
        }
        func classification(_ customer: String) throws -> [String] {
            try engine.connection.prepared("""
                SELECT stage || ' R' || rfm_r FROM customers WHERE email = ?
                """).strings(["\(customer)@example.com"])
        }
        // A cancelled order first, the first real one 60 days later: new, not active.
        try apply("c1", order("c1-o1", 100, at: clock.now, status: "cancelled"))
        clock.advance(days: 60)
        try apply("c1", order("c1-o2", 100, at: clock.now))
        XCTAssertEqual(try classification("c1"), ["new R5"])
        // The last real order 100 days ago, then a cancelled one: still in contact, but gone
        // quiet as a buyer (dormant) and scored on the 100 days (R3), not on the cancelled order.
        try apply("c2", order("c2-o1", 100, at: clock.now))
        clock.advance(days: 100)
        try apply("c2", order("c2-o2", 100, at: clock.now, status: "cancelled"))
        XCTAssertEqual(try classification("c2"), ["dormant R3"])
        // Nothing but a refunded order (in the shop's own spelling): no orders, no score.
        try apply("c3", order("c3-o1", 100, at: clock.now, status: "REFUNDED"))
        XCTAssertEqual(try engine.connection.prepared("SELECT stage || '/' || coalesce(rfm_r, '-') FROM customers WHERE email = ?")
                        .strings(["c3@example.com"]), ["potential/-"])
    }

    func testQuintilesOnAKnownDistribution() throws {
        let boundaries = try XCTUnwrap(RFMBoundaries.quintiles(recencyDays: (1...100).map(Double.init),
                                                               orders: (1...100).map(Double.init),
                                                               spent: (1...100).map { Double($0) * 10 }))
        XCTAssertEqual(boundaries.frequency, [21, 41, 61, 81])
        XCTAssertEqual(boundaries.monetary, [210, 410, 610, 810])
        let now = start
        var counts = [Int](repeating: 0, count: 6)
        for orders in 1...100 {
            var metrics = CustomerMetrics()
            metrics.orders = orders
            metrics.lastOrder = now
            counts[RFMScore.of(metrics, boundaries: boundaries, now: now)!.f] += 1
        }
        XCTAssertEqual(Array(counts[1...5]), [20, 20, 20, 20, 20])
        var recent = CustomerMetrics()
        recent.orders = 1
        recent.lastOrder = now.addingTimeInterval(-5 * 86_400)
        XCTAssertEqual(RFMScore.of(recent, boundaries: boundaries, now: now)?.r, 5)
        recent.lastOrder = now.addingTimeInterval(-95 * 86_400)
        XCTAssertEqual(RFMScore.of(recent, boundaries: boundaries, now: now)?.r, 1)
        XCTAssertNil(RFMScore.of(CustomerMetrics(), boundaries: boundaries, now: now))
    }

    func testTiersFromScores() {
        let tiers = TierSettings().tiers
        XCTAssertEqual(RFMScore.tier(for: RFMScore(r: 5, f: 4, m: 4), tiers: tiers), "vip")
        XCTAssertEqual(RFMScore.tier(for: RFMScore(r: 3, f: 2, m: 2), tiers: tiers), "regular")
        XCTAssertEqual(RFMScore.tier(for: RFMScore(r: 1, f: 1, m: 1), tiers: tiers), "potential")
        XCTAssertEqual(RFMScore.tier(for: nil, tiers: tiers), "potential")
    }

    func testRuleTagsAndManualTags() throws {
        let store = TemporaryStore()
        var settings = EngineSettings()
        settings.classification.tagRules = [
            TagRule(name: "price-sensitive", conditions: [try TagRule.condition("orders >= 2"), try TagRule.condition("avg_order < 100")]),
            TagRule(name: "beijing", conditions: [try TagRule.condition("region = 北京")]),
        ]
        let engine = try store.engine(settings: settings)
        func apply(_ key: String, amount: Double, region: String) throws {
            _ = try engine.apply(Batch(source: "shop", items: [record("c1", [.email: "a@example.com", .region: region], at: Double(key.hashValue & 0xffff),
                                                                    interaction: order(key, amount, at: start))], nextCursor: nil))
        }
        try apply("o1", amount: 50, region: "北京")
        XCTAssertEqual(try engine.connection.prepared("SELECT tag FROM tags ORDER BY tag").strings(), ["beijing"])
        try apply("o2", amount: 60, region: "北京")
        XCTAssertEqual(try engine.connection.prepared("SELECT tag FROM tags ORDER BY tag").strings(), ["beijing", "price-sensitive"])
        let code = try XCTUnwrap(try engine.value("SELECT code FROM customers"))
        XCTAssertEqual(try engine.setTags(code, add: ["vip-watch"], remove: [], actor: "admin:test"), ["beijing", "price-sensitive", "vip-watch"])
        XCTAssertEqual(try engine.setTags(code, add: [], remove: ["vip-watch", "beijing"], actor: "admin:test"), ["beijing", "price-sensitive"],
                       "a manual removal does not touch a rule tag")
        XCTAssertThrowsError(try engine.setTags(code, add: ["bad tag"], remove: [], actor: "admin:test"))
        XCTAssertEqual(try engine.count("SELECT count(*) FROM journal WHERE kind = 'tag.changed'"), 4)
    }

    func testCodesStayUniqueUnderConcurrentCreation() throws {
        let store = TemporaryStore()
        let writer = try StoreWriter(path: store.path, settings: EngineSettings(codeRule: CustomerCodeRule(template: "KH-{seq:6}{check}")))
        DispatchQueue.concurrentPerform(iterations: 8) { worker in
            for batch in 0..<10 {
                let items = (0..<20).map { record("w\(worker)-\(batch)-\($0)", [.name: "N\(worker) \(batch) \($0)"]) }
                _ = try? writer.apply(Batch(source: "src\(worker)", items: items, nextCursor: nil))
            }
        }
        let reader = try StoreReader(path: store.path)
        XCTAssertEqual(try reader.connection.scalarInt("SELECT count(*) FROM customers"), 1600)
        XCTAssertEqual(try reader.connection.scalarInt("SELECT count(DISTINCT code) FROM customers"), 1600)
        for code in try reader.connection.statement("SELECT code FROM customers").strings() {
            XCTAssertTrue(CustomerCodeRule.checkDigitIsValid(code), code)
        }
    }
}
