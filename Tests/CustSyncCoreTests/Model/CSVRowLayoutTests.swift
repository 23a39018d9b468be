@testable import CustSyncCore
import XCTest

/// Splitting a quarantined row's raw text by its file's layout.
final class CSVRowLayoutTests: XCTestCase {
    func testARowSplitsIntoNamedAndMappedColumns() {
        let layout = CSVRowLayout(names: ["Phone", "Street", "Note"], targets: [0: "phone", 1: "address"],
                                  delimiter: UInt8(ascii: ","))
        XCTAssertEqual(layout.columns(of: "13800138000,\"88 Harbour Road, Flat 3\",ring her\r\n"), [
            RawColumn(column: "Phone", target: "phone", value: "13800138000"),
            RawColumn(column: "Street", target: "address", value: "88 Harbour Road, Flat 3"),
            RawColumn(column: "Note", target: nil, value: "ring her"),
        ])
    }

    func testWithoutAHeaderColumnsAreNumbered() {
        let layout = CSVRowLayout(names: nil, targets: [1: "email"], delimiter: UInt8(ascii: ";"))
        XCTAssertEqual(layout.columns(of: "a;b@example.com"), [
            RawColumn(column: "1", target: nil, value: "a"),
            RawColumn(column: "2", target: "email", value: "b@example.com"),
        ])
    }

    func testARowThatDoesNotLineUpSplitsIntoNothing() {
        let layout = CSVRowLayout(names: ["Phone", "Street"], targets: [0: "phone"], delimiter: UInt8(ascii: ","))
        XCTAssertNil(layout.columns(of: "13800138000"), "too few columns")
        XCTAssertNil(layout.columns(of: "1,2\n3,4"), "two rows")
        XCTAssertNil(layout.columns(of: "\"unterminated,2"), "broken quoting")
    }
}
