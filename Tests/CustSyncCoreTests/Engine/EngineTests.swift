@testable import CustSyncCore
import XCTest

final class EngineTests: XCTestCase {
    func testNewRecordCreatesACustomerWithCodeIdentifiersProvenanceAndJournal() throws {
        let store = TemporaryStore()
        let engine = try store.engine()
        let outcome = try engine.apply(Batch(source: "crm", items: [
            record("C1", [.name: " 张 伟 ", .phone: "138 0013 8000", .email: "ZhangWei@Example.com"]),
        ], nextCursor: Cursor("7")))
        XCTAssertEqual(outcome.created, 1)
        XCTAssertEqual(outcome.applied, 1)
        XCTAssertEqual(try engine.value("SELECT code FROM customers"), "KH-0000001")
        XCTAssertEqual(try engine.value("SELECT name FROM customers"), "张伟")
        XCTAssertEqual(try engine.value("SELECT phone FROM customers"), "+8613800138000")
        XCTAssertEqual(try engine.value("SELECT email FROM customers"), "zhangwei@example.com")
        XCTAssertEqual(try engine.count("SELECT count(*) FROM identifiers WHERE customer_code = 'KH-0000001'"), 2)
        XCTAssertEqual(try engine.count("SELECT count(*) FROM field_values WHERE chosen_by = 'first-value'"), 3)
        XCTAssertEqual(try engine.value("SELECT kind FROM journal"), "customer.created")
        XCTAssertEqual(try engine.cursor(for: "crm"), Cursor("7"))
    }

    func testReapplyingTheSameRecordChangesNothingAndWritesNoJournal() throws {
        let store = TemporaryStore()
        let engine = try store.engine()
        let batch = Batch(source: "crm", items: [record("C1", [.name: "Ann", .email: "ann@example.com"],
                                                          interaction: Interaction(kind: .call, key: "k1", occurredAt: Date(timeIntervalSince1970: 5)))],
                          nextCursor: Cursor("1"))
        _ = try engine.apply(batch)
        let journalBefore = try engine.count("SELECT count(*) FROM journal")
        let again = try engine.apply(batch)
        XCTAssertEqual(again.unchanged, 1)
        XCTAssertEqual(again.applied, 0)
        XCTAssertNil(again.journalRange)
        XCTAssertEqual(try engine.count("SELECT count(*) FROM journal"), journalBefore)
        XCTAssertEqual(try engine.count("SELECT count(*) FROM customers"), 1)
        XCTAssertEqual(try engine.count("SELECT count(*) FROM interactions"), 1)
        XCTAssertEqual(try engine.count("SELECT unchanged FROM connector_state WHERE name = 'crm'"), 1)
    }

    func testSameCustomerFromAnotherSourceIsFoundByEmailThenPhone() throws {
        let store = TemporaryStore()
        let engine = try store.engine()
        _ = try engine.apply(Batch(source: "calls", items: [record("r1", [.name: "张伟", .phone: "138 0013 8000"])], nextCursor: nil))
        _ = try engine.apply(Batch(source: "mail", items: [record("m1", [.name: "Zhang Wei", .email: "ZhangWei@Example.com"])], nextCursor: nil))
        _ = try engine.apply(Batch(source: "shop", items: [record("o1", [.phone: "+86-138-0013-8000", .email: "zhangwei@example.com"])], nextCursor: nil))
        // calls and mail made two customers (nothing linked them yet); the order links both keys,
        // and 张伟 is spelled Zhang Wei in pinyin, so the mail's customer is merged into the first.
        XCTAssertEqual(try engine.count("SELECT count(*) FROM customers"), 2)
        XCTAssertEqual(try engine.count("SELECT count(*) FROM customers WHERE merged_into IS NULL"), 1)
        XCTAssertEqual(try engine.count("SELECT count(*) FROM conflicts"), 0)
        XCTAssertEqual(try engine.count("SELECT count(*) FROM journal WHERE kind = 'customer.merged' AND after LIKE '%names=0.92%'"), 1)
        // A later record with only the phone goes to the same customer.
        _ = try engine.apply(Batch(source: "calls", items: [record("r2", [.phone: "13800138000"])], nextCursor: nil))
        XCTAssertEqual(try engine.count("SELECT count(DISTINCT coalesce(c.merged_into, c.code)) FROM applied_records a JOIN customers c ON c.code = a.customer_code"), 1)
    }

    func testRecordsLinkingCustomersWithUnrelatedNamesOpenAMergeCandidate() throws {
        let store = TemporaryStore()
        let engine = try store.engine()
        _ = try engine.apply(Batch(source: "calls", items: [record("r1", [.name: "张伟", .phone: "138 0013 8000"])], nextCursor: nil))
        _ = try engine.apply(Batch(source: "mail", items: [record("m1", [.name: "Flora Li", .email: "flora@example.com"])], nextCursor: nil))
        _ = try engine.apply(Batch(source: "shop", items: [record("o1", [.phone: "+86-138-0013-8000", .email: "flora@example.com"])], nextCursor: nil))
        // The order links both keys, but nothing says 张伟 and Flora Li are one person: the
        // order attaches to one and a merge candidate waits for a person.
        XCTAssertEqual(try engine.count("SELECT count(*) FROM customers WHERE merged_into IS NULL"), 2)
        XCTAssertEqual(try engine.count("SELECT count(*) FROM conflicts WHERE kind = 'merge-candidate' AND status = 'open'"), 1)
        XCTAssertEqual(try engine.count("SELECT count(*) FROM journal WHERE kind = 'conflict.opened'"), 1)
    }

    func testBlankNeverOverwritesAndNewestWins() throws {
        let store = TemporaryStore()
        let engine = try store.engine()
        _ = try engine.apply(Batch(source: "crm", items: [record("C1", [.name: "Ann", .address: "1 Main St"], at: 100)], nextCursor: nil))
        _ = try engine.apply(Batch(source: "crm", items: [record("C1", [.name: "Ann Lee", .address: "  "], at: 200)], nextCursor: nil))
        XCTAssertEqual(try engine.value("SELECT name FROM customers"), "Ann Lee")
        XCTAssertEqual(try engine.value("SELECT address FROM customers"), "1 Main St")
        let change = try engine.value("SELECT after FROM journal WHERE kind = 'field.changed'")
        XCTAssertEqual(change, #"{"field":"name","value":"Ann Lee","source":"crm","rule":"newest"}"#)
        XCTAssertEqual(try engine.value("SELECT before FROM journal WHERE kind = 'field.changed'"), #"{"field":"name","value":"Ann","source":"crm"}"#)
        // An older observation arriving late does not win, but is kept as provenance.
        _ = try engine.apply(Batch(source: "crm", items: [record("C1", [.name: "A. Lee"], at: 150)], nextCursor: nil))
        XCTAssertEqual(try engine.value("SELECT name FROM customers"), "Ann Lee")
        XCTAssertEqual(try engine.count("SELECT count(*) FROM field_values WHERE field = 'name'"), 3)
        XCTAssertEqual(try engine.value("SELECT value FROM field_values WHERE field = 'name' AND chosen_by IS NOT NULL"), "Ann Lee")
    }

    func testSourcePriorityAndTiesOpenConflicts() throws {
        let store = TemporaryStore()
        let settings = EngineSettings(fieldRules: [.name: FieldRule(policy: .sourcePriority(["crm"]), guarded: false)])
        let engine = try store.engine(settings: settings)
        _ = try engine.apply(Batch(source: "crm", items: [record("C1", [.email: "a@example.com", .name: "Ann"], at: 100)], nextCursor: nil))
        _ = try engine.apply(Batch(source: "shop", items: [record("S1", [.email: "a@example.com", .name: "Annie", .address: "x"], at: 900)], nextCursor: nil))
        XCTAssertEqual(try engine.value("SELECT name FROM customers"), "Ann")
        // Two sources at the same instant with different addresses: no rule decides.
        _ = try engine.apply(Batch(source: "mail", items: [record("M1", [.email: "a@example.com", .address: "y"], at: 900)], nextCursor: nil))
        XCTAssertEqual(try engine.value("SELECT address FROM customers"), "x")
        XCTAssertEqual(try engine.count("SELECT count(*) FROM conflicts WHERE kind = 'field' AND field = 'address'"), 1)
    }

    func testAValueWithLikeWildcardsGetsAConflictOfItsOwn() throws {
        let store = TemporaryStore()
        let engine = try store.engine(settings: EngineSettings(fieldRules: [.address: FieldRule(policy: .manual, guarded: false)]))
        _ = try engine.apply(Batch(source: "crm", items: [record("C1", [.email: "a@example.com", .address: "Room 1"], at: 100)], nextCursor: nil))
        _ = try engine.apply(Batch(source: "shop", items: [record("S1", [.email: "a@example.com", .address: "RoomX2"], at: 200)], nextCursor: nil))
        // "Room_2" as a LIKE pattern would match the open conflict's "RoomX2" and be taken for it.
        _ = try engine.apply(Batch(source: "mail", items: [record("M1", [.email: "a@example.com", .address: "Room_2"], at: 300)], nextCursor: nil))
        XCTAssertEqual(try engine.count("SELECT count(*) FROM conflicts WHERE kind = 'field' AND field = 'address' AND status = 'open'"), 2)
        // The same value again does not open a third.
        _ = try engine.apply(Batch(source: "mail", items: [record("M2", [.email: "a@example.com", .address: "Room_2"], at: 400)], nextCursor: nil))
        XCTAssertEqual(try engine.count("SELECT count(*) FROM conflicts WHERE kind = 'field' AND field = 'address' AND status = 'open'"), 2)
        XCTAssertEqual(try engine.value("SELECT address FROM customers"), "Room 1")
    }

    func testAChangedInteractionUpdatesTheSameRow() throws {
        let store = TemporaryStore()
        let engine = try store.engine()
        let paid = Interaction(kind: .order, key: "SO-1", occurredAt: Date(timeIntervalSince1970: 10), status: "paid", amount: 99, currency: "CNY")
        var refunded = paid
        refunded.status = "refunded"
        _ = try engine.apply(Batch(source: "shop", items: [record("C1", [.email: "a@example.com"], at: 10, interaction: paid)], nextCursor: nil))
        _ = try engine.apply(Batch(source: "shop", items: [record("C1", [.email: "a@example.com"], at: 20, interaction: refunded)], nextCursor: nil))
        XCTAssertEqual(try engine.count("SELECT count(*) FROM interactions"), 1)
        XCTAssertEqual(try engine.value("SELECT status FROM interactions"), "refunded")
        XCTAssertEqual(try engine.count("SELECT count(*) FROM journal WHERE kind = 'interaction.updated'"), 1)
    }

    func testInvalidRecordsAreQuarantinedAndTheBatchGoesOn() throws {
        let store = TemporaryStore()
        let engine = try store.engine()
        let outcome = try engine.apply(Batch(source: "crm", items: [
            record("C1", [.email: "not an address"]),
            .rejected(Rejection(origin: "line 9", reason: "not a JSON object", raw: "{{")),
            record("C2", [.name: "Bo"]),
            record("", [.name: "Keyless"]),
            // Dated in the year 2100 (milliseconds sent as seconds, say): it would win every
            // `newest` decision until then.
            record("C3", [.name: "Future"], at: 4_102_444_800),
        ], nextCursor: Cursor("9")))
        XCTAssertEqual(outcome.rejected, 4)
        XCTAssertEqual(outcome.applied, 1)
        XCTAssertEqual(try engine.count("SELECT count(*) FROM quarantine"), 4)
        XCTAssertEqual(try engine.value("SELECT raw FROM quarantine WHERE origin = 'line 9'"), "{{")
        XCTAssertEqual(try engine.count("SELECT count(*) FROM quarantine WHERE origin = 'test C3' AND reason LIKE '%more than a day after now%'"), 1)
        XCTAssertEqual(try engine.count("SELECT count(*) FROM journal WHERE kind = 'record.rejected'"), 4)
        XCTAssertEqual(try engine.cursor(for: "crm"), Cursor("9"))
    }

    /// A feed that sends an order it cannot map on every poll (no incremental mode): one open
    /// entry and one journal entry for it, not one a poll; once that entry is closed, the next
    /// refusal opens a new one.
    func testTheSameInputRefusedAgainWhileItsEntryIsOpenIsThatEntry() throws {
        let store = TemporaryStore()
        let engine = try store.engine()
        func poll(_ number: Int) throws -> BatchOutcome {
            try engine.apply(Batch(source: "shop", items: [
                .rejected(Rejection(origin: "page /orders?poll=\(number) record 3", reason: "total \"12,50\" is not a number",
                                    raw: #"{"id":"A7","total":"12,50"}"#)),
                .rejected(Rejection(origin: "page /orders?poll=\(number) record 4", reason: "no id", raw: #"{"total":1}"#)),
            ], nextCursor: nil))
        }
        for number in 1...3 { XCTAssertEqual(try poll(number).rejected, 2, "poll \(number) still counts its refusals") }
        XCTAssertEqual(try engine.count("SELECT count(*) FROM quarantine"), 2)
        XCTAssertEqual(try engine.count("SELECT count(*) FROM journal WHERE kind = 'record.rejected'"), 2)
        XCTAssertEqual(try engine.value("SELECT origin FROM quarantine WHERE reason = 'no id'"), "page /orders?poll=1 record 4")

        try engine.connection.execute("UPDATE quarantine SET status = 'dismissed' WHERE reason = 'no id'")
        _ = try poll(4)
        XCTAssertEqual(try engine.count("SELECT count(*) FROM quarantine WHERE status = 'open'"), 2)
        XCTAssertEqual(try engine.count("SELECT count(*) FROM quarantine"), 3)
    }
}
