@testable import CustSyncCore
import Foundation
import XCTest

final class CompletedContentTests: XCTestCase {
    func testCompletedContentCommitsWithTheBatchAndIsPerSource() throws {
        let store = TemporaryStore()
        let engine = try store.engine()
        XCTAssertFalse(try engine.hasCompletedContent(source: "calls", hash: "abc"))
        _ = try engine.apply(Batch(source: "calls", items: [record("k1", [.phone: "13800138000"])],
                                   nextCursor: Cursor("done"), completedContent: CompletedContent(hash: "abc", name: "a.csv")))
        XCTAssertTrue(try engine.hasCompletedContent(source: "calls", hash: "abc"))
        XCTAssertFalse(try engine.hasCompletedContent(source: "other", hash: "abc"))
        // Recording it again (a copy finished after a crash) is harmless.
        _ = try engine.apply(Batch(source: "calls", items: [], nextCursor: nil, completedContent: CompletedContent(hash: "abc", name: "b.csv")))
        XCTAssertEqual(try engine.count("SELECT count(*) FROM completed_content"), 1)
        XCTAssertEqual(try engine.value("SELECT name FROM completed_content"), "a.csv")
    }

    func testRolledBackBatchRecordsNothing() throws {
        let store = TemporaryStore()
        let engine = try store.engine()
        try engine.connection.execute("CREATE TRIGGER fail BEFORE INSERT ON connector_state BEGIN SELECT RAISE(ABORT, 'boom'); END")
        XCTAssertThrowsError(try engine.apply(Batch(source: "calls", items: [], nextCursor: Cursor("x"),
                                                    completedContent: CompletedContent(hash: "h", name: "a.csv"))))
        XCTAssertFalse(try engine.hasCompletedContent(source: "calls", hash: "h"))
    }
}
