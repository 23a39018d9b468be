import Foundation
import Glibc
import XCTest

/// The role model with real processes under real users: throwaway users in throwaway groups
/// (`cstest-…`), syncctl run as each of them, the daemon checking SO_PEERCRED.
final class RoleTests: XCTestCase {
    private var roles: RoleInstallation!
    private var installation: TestInstallation { roles.installation }
    private var reader: String { roles.reader }
    private var operatorUser: String { roles.operatorUser }
    private var admin: String { roles.admin }
    private var operatorGroup: String { roles.operatorGroup }
    private var outsider = ""

    override func setUpWithError() throws {
        roles = try RoleInstallation(mainExtra: CustomerFixture.configuration)
        outsider = try roles.user("n")
        try CustomerFixture.install(in: installation)
        try installation.start()
        XCTAssertTrue(try waitUntil(timeout: 30) { (try installation.connectorStatus("crm")?["cursor"] as? String) == "done" })
    }

    override func tearDown() {
        roles?.tearDown()
        roles = nil
    }

    private func syncctl(as user: String, group: String? = nil, _ arguments: [String]) throws -> CommandResult {
        try roles.syncctl(as: user, group: group, arguments)
    }

    private func refused(_ result: CommandResult, needs role: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(result.status, 4, result.stderr, file: file, line: line)
        XCTAssertTrue(result.stderr.contains("needs the \(role) role"), result.stderr, file: file, line: line)
    }

    func testEachRoleMayDoWhatTheRoleTableSays() throws {
        // No group: nothing but whoami.
        refused(try syncctl(as: outsider, ["status"]), needs: "reader")
        let nobody = try syncctl(as: outsider, ["whoami", "--json"])
        XCTAssertEqual(nobody.status, 0, nobody.stderr)
        XCTAssertEqual((nobody.json as? [String: Any])?["role"] as? String, "none")

        // Readers read, masked, and may not steer.
        let status = try syncctl(as: reader, ["status", "--json"])
        XCTAssertEqual(status.status, 0, status.stderr)
        XCTAssertEqual((status.json as? [String: Any])?["verdict"] as? String, "degraded")
        XCTAssertEqual(try syncctl(as: reader, ["connectors"]).status, 0)
        XCTAssertEqual(try syncctl(as: reader, ["conflicts"]).status, 0)
        XCTAssertEqual(try syncctl(as: reader, ["quarantine"]).status, 0)
        refused(try syncctl(as: reader, ["sync", "crm"]), needs: "operator")
        refused(try syncctl(as: reader, ["quarantine", "retry", "1"]), needs: "operator")
        refused(try syncctl(as: reader, ["verify"]), needs: "operator")
        refused(try syncctl(as: reader, ["export"]), needs: "admin")
        refused(try syncctl(as: reader, ["backup"]), needs: "admin")

        // Operators steer, and each action is journaled with who did it.
        let sync = try syncctl(as: operatorUser, ["sync", "crm"])
        XCTAssertEqual(sync.status, 0, sync.stderr)
        XCTAssertEqual(try syncctl(as: operatorUser, ["pause", "crm"]).status, 0)
        XCTAssertEqual(try syncctl(as: operatorUser, ["resume", "crm"]).status, 0)
        XCTAssertEqual(try syncctl(as: operatorUser, ["verify"]).status, 0)
        refused(try syncctl(as: operatorUser, ["export"]), needs: "admin")
        refused(try syncctl(as: operatorUser, ["backup"]), needs: "admin")
        refused(try syncctl(as: operatorUser, ["merge", "KH-0000001", "KH-0000002"]), needs: "admin")
        // The operator group as primary group (no supplementary groups) counts too.
        XCTAssertEqual(try syncctl(as: operatorUser, group: operatorGroup, ["sync", "crm"]).status, 0)

        // Admins export and back up.
        let export = try syncctl(as: admin, ["export"])
        XCTAssertEqual(export.status, 0, export.stderr)
        XCTAssertEqual(export.stdout.split(separator: "\n").count, 2)
        let backup = try syncctl(as: admin, ["backup", "--json"])
        XCTAssertEqual(backup.status, 0, backup.stderr)

        let journal = try installation.syncctl(["journal", "--kind", "admin.action", "--since", "0", "--json"])
        let actions = try journal.stdout.split(separator: "\n").map { line -> [String: Any] in
            let entry = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            XCTAssertEqual(entry["source"] as? String, "syncctl")
            return try XCTUnwrap(try JSONSerialization.jsonObject(with: Data((entry["after"] as? String ?? "").utf8)) as? [String: Any])
        }
        let sync0 = try XCTUnwrap(actions.first { $0["command"] as? String == "sync" && $0["user"] as? String == operatorUser })
        XCTAssertEqual(sync0["uid"] as? Int, Int(getpwnam(operatorUser).pointee.pw_uid))
        XCTAssertEqual(sync0["role"] as? String, "operator")
        XCTAssertEqual(sync0["arguments"] as? [String: String], ["name": "crm"])
        XCTAssertEqual(sync0["outcome"] as? String, "ok")
        XCTAssertTrue(actions.contains { $0["command"] as? String == "export" && $0["user"] as? String == admin })
        XCTAssertTrue(actions.contains { $0["command"] as? String == "backup" && $0["user"] as? String == admin })
        XCTAssertFalse(actions.contains { $0["user"] as? String == reader }, "refused requests are not actions")
        XCTAssertFalse(actions.contains { $0["command"] as? String == "status" }, "reading is not journaled")
    }

    func testPersonalDataIsMaskedBelowAdmin() throws {
        for user in [reader, operatorUser] {
            let json = try syncctl(as: user, ["customer", "show", "zhangwei@example.com", "--json"])
            XCTAssertEqual(json.status, 0, json.stderr)
            XCTAssertFalse(json.stdout.contains("zhangwei@example.com"), json.stdout)
            XCTAssertFalse(json.stdout.contains("13800138000"), json.stdout)
            XCTAssertFalse(json.stdout.contains("建国路"), json.stdout)
            let view = try XCTUnwrap(json.json as? [String: Any])
            XCTAssertEqual(view["masked"] as? Bool, true)
            let fields = Dictionary(uniqueKeysWithValues: (view["fields"] as? [[String: Any]] ?? []).map {
                ($0["field"] as? String ?? "", $0["value"] as? String ?? "")
            })
            XCTAssertEqual(fields["email"], "z***@example.com")
            XCTAssertEqual(fields["phone"], "138****8000")
            XCTAssertEqual(fields["address"], "***")
            XCTAssertEqual(fields["name"], "张伟", "names stay visible")

            let human = try syncctl(as: user, ["customer", "show", "13800138000"])
            XCTAssertEqual(human.status, 0, human.stderr)
            XCTAssertTrue(human.stdout.contains("z***@example.com") && human.stdout.contains("138****8000"), human.stdout)
            XCTAssertFalse(human.stdout.contains("zhangwei@example.com") || human.stdout.contains("13800138000"), human.stdout)

            let list = try syncctl(as: user, ["customers", "--json"])
            XCTAssertFalse(list.stdout.contains("zhangwei@") || list.stdout.contains("ann@example.org"), list.stdout)
            XCTAssertTrue(list.stdout.contains("a***@example.org"), list.stdout)
            // An exact identifier finds the customer; a fragment of one does not reveal it.
            XCTAssertTrue(try syncctl(as: user, ["customers", "ann@example.org"]).stdout.contains("KH-0000002"))
            XCTAssertTrue(try syncctl(as: user, ["customers", "ann@exam"]).stdout.contains("no customers match"))

            for arguments in [["journal", "--since", "0"], ["journal", "--since", "0", "--json"], ["status"], ["status", "--json"]] {
                let result = try syncctl(as: user, arguments)
                XCTAssertEqual(result.status, 0, result.stderr)
                XCTAssertFalse(result.stdout.contains("zhangwei@example.com"), "\(arguments): \(result.stdout)")
                XCTAssertFalse(result.stdout.contains("+8613800138000"), "\(arguments): \(result.stdout)")
            }
            let conflicts = try syncctl(as: user, ["conflicts", "--json"])
            XCTAssertTrue(conflicts.stdout.contains("retail"), "customer_type is not personal: \(conflicts.stdout)")
            let entry = try syncctl(as: user, ["quarantine", "show", "1", "--json"])
            XCTAssertFalse(entry.stdout.contains("13912345678"), entry.stdout)
            XCTAssertTrue(entry.stdout.contains("139****5678"), entry.stdout)
        }
        let full = try syncctl(as: admin, ["customer", "show", "KH-0000001", "--json"])
        XCTAssertTrue(full.stdout.contains("zhangwei@example.com") && full.stdout.contains("+8613800138000"), full.stdout)
        XCTAssertEqual((full.json as? [String: Any])?["masked"] as? Bool, false)
        let journal = try syncctl(as: admin, ["journal", "--since", "0", "--json"])
        XCTAssertTrue(journal.stdout.contains("zhangwei@example.com"), journal.stdout)
    }

    func testASocketClosedToTheCallerIsNotCalledADaemonThatIsNotRunning() throws {
        // A ControlSocket= in a folder readers may not enter (/var/lib/custsync is 0750): the
        // daemon runs, so "not running, start it" would send them the wrong way.
        let folder = (installation.socketPath as NSString).deletingLastPathComponent
        chmod(folder, 0o700)
        defer { chmod(folder, 0o755) }
        let result = try syncctl(as: reader, ["status"])
        XCTAssertEqual(result.status, 4, result.stderr)
        XCTAssertFalse(result.stderr.contains("not running"), result.stderr)
        XCTAssertTrue(result.stderr.contains("Permission denied") && result.stderr.contains(reader), result.stderr)
        // Where nothing listens, it is still exit 3.
        let gone = try TestUsers.run(as: reader, Paths.syncctl, ["--socket", "/nonexistent/control.sock", "status"])
        XCTAssertEqual(gone.status, 3, gone.stderr)
    }
}

