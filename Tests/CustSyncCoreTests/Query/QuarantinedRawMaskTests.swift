@testable import CustSyncCore
import XCTest

/// How `quarantine show` masks a quarantined CSV row below admin.
final class QuarantinedRawMaskTests: XCTestCase {
    private let row = "C7,13912345678,li@example.com,Li Lei,88 Harbour Road,ring her at home"
    private let columns = [
        RawColumn(column: "Id", target: "key", value: "C7"),
        RawColumn(column: "Tel", target: "phone", value: "13912345678"),
        RawColumn(column: "Mail", target: "email", value: "li@example.com"),
        RawColumn(column: "Name", target: "name", value: "Li Lei"),
        RawColumn(column: "Street", target: "address", value: "88 Harbour Road"),
        RawColumn(column: "Note", target: nil, value: "ring her at home"),
    ]

    private func entry(columns: [RawColumn]?) -> QuarantineEntry {
        QuarantineEntry(id: 7, source: "calls", origin: "calls.csv line 2", reason: "phone: not valid", raw: row,
                        at: Date(), status: "open", columns: columns)
    }

    func testACSVRowIsMaskedColumnByColumnByItsMapping() {
        let masked = entry(columns: columns).masked(fromCSV: true).raw ?? ""
        XCTAssertEqual(masked, """
            Id (key): C7
            Tel (phone): 139****5678
            Mail (email): l***@example.com
            Name (name): Li Lei
            Street (address): ***
            Note (not mapped): ***
            (masked below admin; an admin sees the row as read with `syncctl quarantine show 7`)
            """)
        XCTAssertEqual(entry(columns: columns).masked(false, fromCSV: true).raw, row, "admins see the row as read")
    }

    func testACSVRowWithoutColumnsIsHiddenWholeBelowAdmin() {
        // Quarantined before columns were kept, or not lining up with its header.
        let masked = entry(columns: nil).masked(fromCSV: true).raw ?? ""
        XCTAssertFalse(masked.contains("Harbour") || masked.contains("home") || masked.contains("Li Lei"), masked)
        XCTAssertTrue(masked.contains("syncctl quarantine show 7"), masked)
        XCTAssertEqual(entry(columns: nil).masked(false, fromCSV: true).raw, row)
        // A whole file refused has no raw input: nothing to hide, nothing to explain.
        var file = entry(columns: nil)
        file.raw = ""
        XCTAssertEqual(file.masked(fromCSV: true).raw, "")
    }

    func testColumnsStayInTheDaemon() throws {
        let json = String(decoding: try JSONEncoder().encode(entry(columns: columns)), as: UTF8.self)
        XCTAssertFalse(json.contains("\"columns\"") || json.contains("\"target\""), json)
    }
}
