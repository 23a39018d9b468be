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

    private let store = TemporaryStore()

    /// A customer first called 李娜, whose call-center record was re-sent as 王芳 (the current
    /// name is 王芳, and 李娜 is one of its other names); then an order named `name` on its
    /// phone. Returns the engine and what resolving the order cost.
    func orderOnTheRenamedCustomersPhone(named name: String) throws -> (Engine, ResolutionCost) {
        let engine = try store.engine()
        _ = try apply(engine, "callcenter", "k1", [.name: "李娜", .phone: "13800138000"])
        _ = try apply(engine, "callcenter", "k1", [.name: "王芳", .phone: "13800138000"], at: 2_000)
        XCTAssertEqual(try engine.value("SELECT name FROM customers"), "王芳")
        return (engine, try apply(engine, "orders", "o1", [.name: name, .phone: "138-0013-8000"], at: 3_000))
    }

    /// The order went to the renamed customer: one customer holds every record.
    func assertOneCustomer(_ engine: Engine, file: StaticString = #filePath, line: UInt = #line) throws {
        XCTAssertEqual(try engine.count("SELECT count(*) FROM customers"), 1, file: file, line: line)
        XCTAssertEqual(try engine.count("SELECT count(DISTINCT customer_code) FROM applied_records"), 1, file: file, line: line)
    }

    func testALoneHolderWhoseCurrentNameAgreesIsTakenWithoutReadingItsOtherNames() throws {
        let (engine, cost) = try orderOnTheRenamedCustomersPhone(named: "王芳")
        try assertOneCustomer(engine)
        // The phone's holders, then the holder's row; not its other names in field_values.
        XCTAssertEqual(cost.records, 1)
        XCTAssertEqual(cost.lookups, 2)
        XCTAssertEqual(cost.profiles, 1)
    }

    func testAHolderWhoseCurrentNameDisagreesIsJudgedByItsOtherNamesToo() throws {
        let (engine, cost) = try orderOnTheRenamedCustomersPhone(named: "李娜")
        // 王芳 contradicts the record, but the customer was also called 李娜: the phone stands.
        try assertOneCustomer(engine)
        XCTAssertEqual(cost.lookups, 3)
        XCTAssertEqual(cost.profiles, 1)
    }

    func testAnUnrelatedNameOnTheSamePhoneIsStillANewCustomer() throws {
        let (engine, cost) = try orderOnTheRenamedCustomersPhone(named: "赵磊")
        XCTAssertEqual(try engine.count("SELECT count(*) FROM customers WHERE merged_into IS NULL"), 2)
        XCTAssertGreaterThanOrEqual(cost.lookups, 3) // the other names were read before saying no
    }
}
