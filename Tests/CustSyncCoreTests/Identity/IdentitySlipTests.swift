@testable import CustSyncCore
import XCTest

/// A slip in a name (a misread surname, a misspelled pinyin) against an own phone or e-mail:
/// which customer each record goes to, and the reason given.
final class IdentitySlipTests: XCTestCase {
    private let now = Date(timeIntervalSince1970: 1_800_000_000)

    private func apply(_ engine: Engine, _ source: String, _ key: String, _ fields: [CanonicalField: String]) throws {
        _ = try engine.apply(Batch(source: source, items: [record(key, fields)], nextCursor: nil))
    }

    private func liveCustomers(_ engine: Engine) throws -> Int64 {
        try engine.count("SELECT count(*) FROM customers WHERE merged_into IS NULL")
    }

    /// The decision the engine would take for `fields` now, without applying them.
    private func resolve(_ engine: Engine, _ fields: [CanonicalField: String]) throws -> IdentityMatch {
        let source = SourceRecord(key: "probe", observedAt: now, fields: fields, interaction: nil, origin: "test probe")
        guard case .success(let normalized) = RecordNormalizer(settings: EngineSettings(), now: now)
            .normalize(source, source: "probe") else { throw XCTSkip("probe did not normalize") }
        let resolver = IdentityResolver(connection: engine.connection, presence: try engine.keyPresence(),
                                        autoMergeScore: 0.92, reviewScore: 0.75)
        return try resolver.resolve(normalized, sourceKeyCustomer: nil)
    }

    func testAMisreadSurnameBeforeATwoCharacterGivenNameJoinsTheOwnPhone() throws {
        let store = TemporaryStore()
        let engine = try store.engine()
        try apply(engine, "callcenter", "c1", [.name: "王杰强", .phone: "18479815582"])
        let match = try resolve(engine, [.name: "玉杰强", .phone: "184 7981 5582"])
        XCTAssertEqual(match.code, "KH-0000001")
        XCTAssertEqual(match.reason, "phone=exact, name=0.90 (surname slip)")
        try apply(engine, "callcenter", "c2", [.name: "玉杰强", .phone: "184 7981 5582"])
        XCTAssertEqual(try liveCustomers(engine), 1)
    }

    func testAnotherSurnameBeforeAOneCharacterGivenNameIsAnotherPerson() throws {
        let store = TemporaryStore()
        let engine = try store.engine()
        try apply(engine, "callcenter", "c1", [.name: "王强", .phone: "19846926194"])
        try apply(engine, "callcenter", "c2", [.name: "李强", .phone: "198-4692-6194"])
        try apply(engine, "mail", "m1", [.name: "王强", .email: "wangqiang@example.com"])
        try apply(engine, "mail", "m2", [.name: "玉强", .email: "wangqiang@example.com"])
        XCTAssertEqual(try liveCustomers(engine), 4)
    }

    func testSiblingsDifferingInOneGivenCharacterStayApartOnAPhone() throws {
        let store = TemporaryStore()
        let engine = try store.engine()
        try apply(engine, "callcenter", "c1", [.name: "张小伟", .phone: "010-12345678"])
        try apply(engine, "callcenter", "c2", [.name: "张小敏", .phone: "010-12345678"])
        XCTAssertEqual(try liveCustomers(engine), 2)
    }

    func testTwoKeysOfOneRecordMergeCustomersWhoseNamesDifferByASurnameSlip() throws {
        let store = TemporaryStore()
        let engine = try store.engine()
        try apply(engine, "mail", "m1", [.name: "玉杰强", .email: "jqwang@example.com"])
        try apply(engine, "callcenter", "c1", [.name: "王杰强", .phone: "18479815582"])
        try apply(engine, "orders", "o1", [.name: "王杰强", .email: "jqwang@example.com", .phone: "18479815582"])
        XCTAssertEqual(try liveCustomers(engine), 1)
        let reason = try XCTUnwrap(try engine.value("SELECT json_extract(after, '$.reason') FROM journal WHERE kind = 'customer.merged'"))
        XCTAssertEqual(reason, "email points at KH-0000001, phone at KH-0000002, names=0.90 (surname slip)")
    }

    func testAMisspelledPinyinJoinsTheOwnPhone() throws {
        let store = TemporaryStore()
        let engine = try store.engine()
        try apply(engine, "callcenter", "c1", [.name: "李萍", .phone: "17109358592"])
        let match = try resolve(engine, [.name: "Pnig Li", .phone: "+8617109358592"])
        XCTAssertEqual(match.code, "KH-0000001")
        XCTAssertEqual(match.reason, "phone=exact, name=0.88 (misspelled pinyin)")
        try apply(engine, "orders", "o1", [.name: "Pnig Li", .phone: "+8617109358592"])
        XCTAssertEqual(try liveCustomers(engine), 1)
    }

    func testAnotherNamesPinyinDoesNotJoinAHouseholdPhone() throws {
        let store = TemporaryStore()
        let engine = try store.engine()
        try apply(engine, "callcenter", "c1", [.name: "张兵", .phone: "010-87654321"])
        // One letter from Zhang Bing, but pinyin of another name (张平): maybe her husband.
        try apply(engine, "orders", "o1", [.name: "Zhang Ping", .phone: "010-87654321"])
        XCTAssertEqual(try liveCustomers(engine), 2)
    }

    func testAMisspellingOfTwoHouseholdMembersDecidesNothing() throws {
        let store = TemporaryStore()
        let engine = try store.engine()
        try apply(engine, "callcenter", "c1", [.name: "陈珍明", .phone: "010-55967033"])
        try apply(engine, "callcenter", "c2", [.name: "陈珍敏", .phone: "010-55967033"])
        // `Zhenmign` is a letter from both Zhenming and Zhenmin.
        let match = try resolve(engine, [.name: "Zhenmign Chen", .phone: "010 5596 7033"])
        XCTAssertNil(match.code)
        XCTAssertEqual(match.reviews.count, 2)
    }
}
