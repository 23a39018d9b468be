@testable import CustSyncCore
import XCTest

/// What identity resolution reads from the store to decide, through the real engine and store.
final class ResolutionCostTests: XCTestCase {
    func apply(_ engine: Engine, _ source: String, _ key: String, _ fields: [CanonicalField: String],
               at seconds: Double = 1_000) throws -> ResolutionCost {
        let before = engine.identityResolution
        _ = try engine.apply(Batch(source: source, items: [record(key, fields, at: seconds)], nextCursor: nil))
        return engine.identityResolution - before
    }

    /// A customer first called 李娜, whose call-center record was re-sent as 王芳 (the current
    /// name is 王芳, and 李娜 is one of its other names); then an order named `name` on its
    /// phone, whose resolution cost is returned.
    func orderOnTheRenamedCustomersPhone(named name: String, _ engine: Engine) throws -> ResolutionCost {
        _ = try apply(engine, "callcenter", "k1", [.name: "李娜", .phone: "13800138000"])
        _ = try apply(engine, "callcenter", "k1", [.name: "王芳", .phone: "13800138000"], at: 2_000)
        XCTAssertEqual(try engine.value("SELECT name FROM customers"), "王芳")
        return try apply(engine, "orders", "o1", [.name: name, .phone: "138-0013-8000"], at: 3_000)
    }

    func testALoneHolderWhoseCurrentNameAgreesIsTakenWithoutReadingItsOtherNames() throws {
        let store = TemporaryStore()
        let engine = try store.engine()
        let cost = try orderOnTheRenamedCustomersPhone(named: "王芳", engine)
        XCTAssertEqual(try engine.count("SELECT count(*) FROM customers"), 1)
        XCTAssertEqual(try engine.count("SELECT count(DISTINCT customer_code) FROM applied_records"), 1)
        // The phone's holders, then the holder's row; not its other names in field_values.
        XCTAssertEqual(cost.records, 1)
        XCTAssertEqual(cost.lookups, 2)
        XCTAssertEqual(cost.profiles, 1)
    }

    func testAHolderWhoseCurrentNameDisagreesIsJudgedByItsOtherNamesToo() throws {
        let store = TemporaryStore()
        let engine = try store.engine()
        let cost = try orderOnTheRenamedCustomersPhone(named: "李娜", engine)
        // 王芳 contradicts the record, but the customer was also called 李娜: the phone stands.
        XCTAssertEqual(try engine.count("SELECT count(*) FROM customers"), 1)
        XCTAssertEqual(try engine.count("SELECT count(DISTINCT customer_code) FROM applied_records"), 1)
        XCTAssertEqual(cost.lookups, 3)
        XCTAssertEqual(cost.profiles, 1)
    }

    func testAnUnrelatedNameOnTheSamePhoneIsStillANewCustomer() throws {
        let store = TemporaryStore()
        let engine = try store.engine()
        let cost = try orderOnTheRenamedCustomersPhone(named: "赵磊", engine)
        XCTAssertEqual(try engine.count("SELECT count(*) FROM customers WHERE merged_into IS NULL"), 2)
        XCTAssertGreaterThanOrEqual(cost.lookups, 3) // the other names were read before saying no
    }
}
