@testable import CustSyncCore
import XCTest

final class JournalTests: XCTestCase {
    func testSequenceIsGaplessAndIncreasingAcrossBatchesAndRollbacks() throws {
        let store = TemporaryStore()
        let engine = try store.engine()
        _ = try engine.apply(Batch(source: "a", items: [record("1", [.name: "Ann"]), record("2", [.name: "Bo"])], nextCursor: nil))
        // A batch that fails half-way (here: a trigger refuses its second record) rolls back
        // completely, cursor included, and leaves no hole in the journal.
        try engine.connection.execute("""
            CREATE TEMP TRIGGER boom BEFORE INSERT ON interactions WHEN NEW.source_key = 'boom'
            BEGIN SELECT RAISE(ABORT, 'disk on fire'); END
            """)
        let failing = Batch(source: "a", items: [
            record("3", [.name: "Cy"]),
            record("5", [.name: "Ed"], interaction: Interaction(kind: .call, key: "boom", occurredAt: Date())),
        ], nextCursor: Cursor("after-5"))
        XCTAssertThrowsError(try engine.apply(failing)) { error in
            XCTAssertTrue("\(error)".contains("disk on fire"), "\(error)")
        }
        XCTAssertEqual(try engine.count("SELECT count(*) FROM customers"), 2)
        XCTAssertNil(try engine.cursor(for: "a"))
        let outcome = try engine.apply(Batch(source: "a", items: [record("4", [.name: "Di"])], nextCursor: nil))
        XCTAssertEqual(outcome.journalRange, 3...3)
        let seqs = try engine.connection.statement("SELECT seq FROM journal ORDER BY seq").rows().compactMap { $0.int(0) }
        XCTAssertEqual(seqs, [1, 2, 3])
    }

    func testJournalIsAppendOnly() throws {
        let store = TemporaryStore()
        let engine = try store.engine()
        _ = try engine.apply(Batch(source: "a", items: [record("1", [.name: "Ann"])], nextCursor: nil))
        XCTAssertThrowsError(try engine.connection.execute("UPDATE journal SET kind = 'x'")) { error in
            XCTAssertTrue("\(error)".contains("append-only"))
        }
        XCTAssertThrowsError(try engine.connection.execute("DELETE FROM journal"))
        XCTAssertEqual(try engine.count("SELECT count(*) FROM journal"), 1)
    }

    func testReaderReturnsEntriesInOrder() throws {
        let store = TemporaryStore()
        let engine = try store.engine()
        _ = try engine.apply(Batch(source: "a", items: (1...10).map { record("\($0)", [.name: "N\($0)"]) }, nextCursor: nil))
        let reader = try StoreReader(path: store.path)
        XCTAssertEqual(try reader.journal(after: 7, limit: 10).map(\.seq), [8, 9, 10])
        XCTAssertEqual(try reader.journalTail(limit: 2).map(\.seq), [9, 10])
        XCTAssertEqual(try reader.journal(after: 0, limit: 1).first?.kind, "customer.created")
    }
}
