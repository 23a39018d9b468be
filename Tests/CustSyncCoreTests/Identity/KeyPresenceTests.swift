@testable import CustSyncCore
import XCTest

final class KeyPresenceTests: XCTestCase {
    func testEveryInsertedKeyIsFoundAcrossGrowth() {
        let presence = KeyPresence(expectedKeys: 0)
        // Three times the first filter's capacity: the keys spread over three filters.
        let keys = (0..<(3 * KeyPresence.minimumCapacity)).map { "+86139\(String(format: "%08d", $0))" }
        for key in keys { presence.insert(.identifier, "phone", key) }
        XCTAssertTrue(keys.allSatisfy { presence.mayContain(.identifier, "phone", $0) })
    }

    func testARepeatedKeyIsAddedOnce() {
        let presence = KeyPresence(expectedKeys: 0)
        for _ in 0..<(2 * KeyPresence.minimumCapacity) { presence.insert(.appliedRecord, "orders", "C-0001") }
        XCTAssertEqual(presence.count, 1)
        XCTAssertTrue(presence.mayContain(.appliedRecord, "orders", "C-0001"))
    }

    func testAbsentKeysAreMostlyAnsweredNo() {
        let presence = KeyPresence(expectedKeys: 100_000)
        for index in 0..<100_000 { presence.insert(.blockingKey, "phone-suffix", String(format: "%08d", index)) }
        let falseMaybes = (100_000..<200_000).filter { presence.mayContain(.blockingKey, "phone-suffix", String(format: "%08d", $0)) }
        XCTAssertLessThan(Double(falseMaybes.count) / 100_000, 0.02)
    }

    func testTheKindAndTheSplitBetweenTheTwoPartsBelongToTheKey() {
        let presence = KeyPresence(expectedKeys: 0)
        presence.insert(.identifier, "email", "wei@example.com")
        presence.insert(.appliedRecord, "ab", "c")
        XCTAssertTrue(presence.mayContain(.identifier, "email", "wei@example.com"))
        XCTAssertFalse(presence.mayContain(.blockingKey, "email", "wei@example.com"))
        XCTAssertFalse(presence.mayContain(.appliedRecord, "a", "bc"))
    }

    /// The filters of a new engine come from the store: a phone stored by an earlier engine
    /// (an earlier run of the daemon) still finds its customer, and a re-sent record is still
    /// recognised as unchanged.
    func testANewEngineFindsTheKeysAnEarlierOneStored() throws {
        let store = TemporaryStore()
        let first = try store.engine()
        _ = try first.apply(Batch(source: "callcenter", items: [record("r1", [.name: "张伟", .phone: "13800138000"])], nextCursor: nil))
        let second = try store.engine()
        let again = try second.apply(Batch(source: "callcenter", items: [record("r1", [.name: "张伟", .phone: "13800138000"])], nextCursor: nil))
        XCTAssertEqual(again.unchanged, 1)
        let outcome = try second.apply(Batch(source: "orders", items: [record("o1", [.name: "张伟", .phone: "+86 138 0013 8000"])], nextCursor: nil))
        XCTAssertEqual(outcome.created, 0)
        XCTAssertEqual(try second.count("SELECT count(*) FROM customers"), 1)
    }
}
