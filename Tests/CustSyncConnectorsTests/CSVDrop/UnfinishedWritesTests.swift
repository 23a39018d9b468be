@testable import CustSyncConnectors
import Foundation
import XCTest

final class UnfinishedWritesTests: XCTestCase {
    private let start = Date(timeIntervalSince1970: 1_700_000_000)
    private let file = DropFileName("calls.csv")

    func testAFileFoundAtStartWaitsUntilItsCloseOrItsPatience() {
        var writes = UnfinishedWrites(foundAtStart: [file], at: start)
        XCTAssertTrue(writes.wasFoundAtStart(file))
        XCTAssertFalse(writes.contains(file))
        writes.ended(file)
        XCTAssertFalse(writes.wasFoundAtStart(file), "its close (or rename) was seen")
    }

    func testQuietCountsFromTheModificationTime() {
        let writes = UnfinishedWrites(foundAtStart: [file], at: start)
        let now = start.addingTimeInterval(5)
        XCTAssertEqual(writes.quiet(file, modified: start.timeIntervalSince1970 - 700, now: now), 705)
    }

    /// An uploader's clock an hour ahead, kept by `cp -p`: the file is not left waiting an hour
    /// more than its patience.
    func testAModificationTimeAheadOfOurClockCountsFromTheStartOrTheLastWriteSeen() {
        var writes = UnfinishedWrites(foundAtStart: [file], at: start)
        let ahead = start.timeIntervalSince1970 + 3600
        XCTAssertEqual(writes.quiet(file, modified: ahead, now: start.addingTimeInterval(601)), 601)
        XCTAssertGreaterThan(writes.quiet(file, modified: ahead, now: start.addingTimeInterval(601)), UnfinishedWrites.patience)
        writes.began(file, at: start.addingTimeInterval(100))
        XCTAssertEqual(writes.quiet(file, modified: ahead, now: start.addingTimeInterval(601)), 501)
    }
}
