import Foundation
import Glibc
import XCTest

/// `syncctl quarantine show` through the real daemon, as a reader, an operator and an admin:
/// personal data in quarantined input is masked below admin whatever its shape.
final class QuarantineMaskingTests: XCTestCase {
    private var roles: RoleInstallation!
    private var installation: TestInstallation { roles.installation }
    private var reader: String { roles.reader }
    private var operatorUser: String { roles.operatorUser }
    private var admin: String { roles.admin }

    override func setUpWithError() throws {
        roles = try RoleInstallation()
    }

    override func tearDown() {
        roles?.tearDown()
        roles = nil
    }

    private func syncctl(as user: String, _ arguments: [String]) throws -> CommandResult {
        try roles.syncctl(as: user, arguments)
    }

    /// The ids of the quarantine entries of connector `source`, once there are `count`.
    private func entryIDs(of source: String, count: Int) throws -> [String] {
        var ids: [String] = []
        XCTAssertTrue(try waitUntil(timeout: 30) {
            let list = try syncctl(as: admin, ["quarantine", "--source", source, "--json"])
            let entries = (list.json as? [String: Any])?["entries"] as? [[String: Any]] ?? []
            ids = entries.compactMap { ($0["id"] as? Int).map(String.init) }
            return ids.count == count
        }, installation.daemon?.log.suffix(3000).description ?? "")
        return ids
    }

    func testACSVRowIsMaskedByItsMappingBelowAdmin() throws {
        try installation.addConnector("calls", """
            [Connector]
            Name=calls
            Kind=csv-drop
            Interval=1s

            [CSV]
            SettleTime=300ms
            TimeZone=Asia/Shanghai

            [Mapping]
            Time=call.time
            Phone=phone
            Name=name
            Street=address
            """)
        try installation.start()
        let incoming = installation.root.file("spool/calls/incoming")
        XCTAssertTrue(waitUntil(timeout: 20) { FileManager.default.fileExists(atPath: incoming) })
        // Line 2 is refused by the engine (its phone), line 3 by the connector (its date).
        let rows = ["2024-03-01 09:00:00,12345,Li Lei,88 Harbour Road Flat 3,ring her at home",
                    "2024-02-30 09:00:00,13800138000,Li Lei,88 Harbour Road Flat 3,ring her at home"]
        let file = "Time,Phone,Name,Street,Note\n" + rows.joined(separator: "\n") + "\n"
        try Data(file.utf8).write(to: URL(fileURLWithPath: incoming + "/.calls.csv.part"))
        XCTAssertEqual(rename(incoming + "/.calls.csv.part", incoming + "/calls.csv"), 0)
        let ids = try entryIDs(of: "calls", count: 2)

        for (id, row) in zip(ids, rows) {
            try assertMaskedBelowAdmin(id: id, row: row)
        }
        let second = try syncctl(as: reader, ["quarantine", "show", ids[1]])
        XCTAssertTrue(second.stdout.contains("Phone (phone): 138****8000"), second.stdout)
        XCTAssertFalse(second.stdout.contains("13800138000"), second.stdout)
    }

    private func assertMaskedBelowAdmin(id: String, row: String) throws {
        for user in [reader, operatorUser] {
            let shown = try syncctl(as: user, ["quarantine", "show", id, "--json"])
            XCTAssertEqual(shown.status, 0, shown.stderr)
            let raw = try XCTUnwrap((shown.json as? [String: Any])?["raw"] as? String, shown.stdout)
            XCTAssertFalse(shown.stdout.contains("Harbour"), "the mapped address: \(shown.stdout)")
            XCTAssertFalse(shown.stdout.contains("at home"), "an unmapped column: \(shown.stdout)")
            XCTAssertTrue(raw.contains("Street (address): ***"), raw)
            XCTAssertTrue(raw.contains("Note (not mapped): ***"), raw)
            XCTAssertTrue(raw.contains("Name (name): Li Lei"), "names stay visible: \(raw)")
            XCTAssertTrue(raw.contains("Time (call.time): \(row.prefix(19))"), raw)
        }
        let full = try syncctl(as: admin, ["quarantine", "show", id, "--json"])
        XCTAssertEqual((full.json as? [String: Any])?["raw"] as? String, row, full.stdout)
    }

    func testAnExecRecordIsMaskedByKeyNamesBelowAdmin() throws {
        // Refused for its unknown fields, as a feed that names them its own way would be.
        let line = #"{"type":"record","key":"C9","observed_at":1700000000,"fields":{"name":"Wang Fang","#
            + #""customer_email":"wang.fang@example.com","email_verified":true,"contact_phone":"+86 139 1234 5678","#
            + #""phone_type":"mobile","shipping":{"address":"9 Elm Street","phone":13912345678},"receiver_address":"12 Oak Lane","#
            + #""billingAddress":{"line1":"Room 5, 77 Wensan Road","city":"Hangzhou","zip":"310000"}}}"#
        try CustomerFixture.install(in: installation, records: [line])
        try installation.start()
        let id = try XCTUnwrap(try entryIDs(of: "crm", count: 1).first)

        for user in [reader, operatorUser] {
            let shown = try syncctl(as: user, ["quarantine", "show", id, "--json"])
            XCTAssertEqual(shown.status, 0, shown.stderr)
            for secret in ["wang.fang@", "1234 5678", "13912345678", "Elm Street", "Oak Lane", "Wensan", "310000"] {
                XCTAssertFalse(shown.stdout.contains(secret), "\(secret): \(shown.stdout)")
            }
            for kept in ["Wang Fang", "w***@example.com", "mobile", "139****5678"] {
                XCTAssertTrue(shown.stdout.contains(kept), "\(kept): \(shown.stdout)")
            }
        }
        let full = try syncctl(as: admin, ["quarantine", "show", id, "--json"])
        XCTAssertEqual((full.json as? [String: Any])?["raw"] as? String, line, full.stdout)
    }
}
