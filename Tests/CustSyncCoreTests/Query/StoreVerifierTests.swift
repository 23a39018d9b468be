@testable import CustSyncCore
import XCTest

final class StoreVerifierTests: XCTestCase {
    func testCleanStoreThenEachBrokenInvariant() throws {
        let store = TemporaryStore()
        let engine = try store.engine()
        _ = try engine.apply(Batch(source: "crm", items: [
            record("C1", [.name: "Ann", .email: "ann@example.com"]),
            record("C2", [.name: "Bo", .phone: "13800138000"]),
            record("C3", [.name: "Cy", .phone: "13900139000"]),
        ], nextCursor: Cursor("3")))
        XCTAssertTrue(try StoreVerifier(connection: engine.connection).run().ok)

        try engine.connection.execute("""
            DROP TRIGGER journal_no_delete;
            DELETE FROM journal WHERE seq = 2;
            INSERT INTO identifiers(kind, value, customer_code, source, first_seen) VALUES ('email', 'x@example.com', 'KH-9', 'crm', 0);
            UPDATE customers SET merged_into = 'KH-0000009' WHERE code = 'KH-0000002';
            UPDATE connector_state SET applied = applied + 5 WHERE name = 'crm';
            """)
        let report = try StoreVerifier(connection: engine.connection).run()
        XCTAssertFalse(report.ok)
        let failed = Dictionary(uniqueKeysWithValues: report.checks.map { ($0.name, $0) })
        XCTAssertEqual(failed["integrity"]?.ok, true)
        XCTAssertEqual(failed["journal-gapless"]?.problems.last, "entry 2 is missing")
        XCTAssertEqual(failed["identifiers-live"]?.problemCount, 2, "the ghost, and the phone of the customer merged into a missing one")
        XCTAssertEqual(failed["merges"]?.problems, ["KH-0000002 merged into KH-0000009 (no such customer)"])
        XCTAssertEqual(failed["cursors"]?.ok, false)
        XCTAssertEqual(failed["current-values"]?.ok, true)
    }

    func testAMaskedReportHidesTheIdentifiersItNames() throws {
        // `syncctl verify` is an operator command, and operators see personal data masked.
        let store = TemporaryStore()
        let engine = try store.engine()
        try engine.connection.execute("""
            INSERT INTO identifiers(kind, value, customer_code, source, first_seen) VALUES ('email', 'secret.person@example.com', 'KH-9', 'crm', 0);
            INSERT INTO identifiers(kind, value, customer_code, source, first_seen) VALUES ('phone', '+8613912345678', 'KH-9', 'crm', 0);
            """)
        let report = try StoreVerifier(connection: engine.connection).run()
        XCTAssertEqual(report.checks.first { $0.name == "identifiers-live" }?.problemCount, 2)
        let masked = report.masked().checks.flatMap(\.problems).joined(separator: "\n")
        XCTAssertFalse(masked.contains("secret.person@") || masked.contains("13912345678"), masked)
        XCTAssertTrue(masked.contains("s***@example.com") && masked.contains("KH-9"), masked)
        XCTAssertEqual(report.masked(false).checks.flatMap(\.problems), report.checks.flatMap(\.problems))
    }
}

