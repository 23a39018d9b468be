import XCTest
@testable import CustSyncCore

final class CSVHeaderTests: XCTestCase {
    func testLookups() {
        let header = CSVHeader(names: ["\u{FEFF}Name", " Phone ", "备注", "\u{3000}Email\t", "", "NAME", "备注"])
        let cases: [(name: String, index: Int?)] = [
            ("name", 0), ("NAME", 0), (" name ", 0), ("phone", 1), ("备注", 2), ("email", 3), ("missing", nil), ("", nil),
        ]
        for test in cases {
            XCTAssertEqual(header.index(of: test.name), test.index, test.name)
        }
        XCTAssertEqual(header.names, ["Name", "Phone", "备注", "Email", "", "NAME", "备注"])
        XCTAssertEqual(header.duplicates, ["name", "备注"])
        XCTAssertEqual(header.missing(["Phone", "Customer ID", "email"]), ["Customer ID"])
        XCTAssertEqual(header.value(of: "phone", in: ["张伟", "13800138000"]), "13800138000")
        XCTAssertNil(header.value(of: "email", in: ["张伟", "13800138000"]))
    }

    func testValidation() {
        let header = CSVHeader(names: ["id", "phone", "note", "note"])
        let cases: [(required: [String], error: CSVHeaderError?)] = [
            (["id", "PHONE"], nil),
            (["id", "email"], CSVHeaderError(missing: ["email"], duplicates: [])),
            (["note"], CSVHeaderError(missing: [], duplicates: ["note"])),
            (["Note", "x"], CSVHeaderError(missing: ["x"], duplicates: ["note"])),
        ]
        for test in cases {
            if let expected = test.error {
                XCTAssertThrowsError(try header.validate(required: test.required), "\(test.required)") {
                    XCTAssertEqual($0 as? CSVHeaderError, expected)
                }
            } else {
                XCTAssertNoThrow(try header.validate(required: test.required))
            }
        }
        XCTAssertEqual(CSVHeaderError(missing: ["a"], duplicates: ["b"]).description,
                       "missing required column(s): a; duplicate column(s): b")
    }
}
