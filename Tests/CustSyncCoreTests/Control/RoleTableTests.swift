@testable import CustSyncCore
import XCTest

final class RoleTableTests: XCTestCase {
    func testRoleFromCredentials() {
        let groups = (reader: UInt32(2001), operator: UInt32(2002), admin: UInt32(2003))
        func role(uid: UInt32, _ member: Set<UInt32>, daemon: UInt32 = 999) -> Role {
            Role.of(uid: uid, groups: member, daemonUID: daemon, readerGID: groups.reader,
                    operatorGID: groups.operator, adminGID: groups.admin)
        }
        XCTAssertEqual(role(uid: 0, []), .admin, "root is admin")
        XCTAssertEqual(role(uid: 999, []), .admin, "the daemon's own user is admin")
        XCTAssertEqual(role(uid: 1000, []), .none)
        XCTAssertEqual(role(uid: 1000, [100]), .none)
        XCTAssertEqual(role(uid: 1000, [2001]), .reader)
        XCTAssertEqual(role(uid: 1000, [2002]), .operator)
        XCTAssertEqual(role(uid: 1000, [2003]), .admin)
        XCTAssertEqual(role(uid: 1000, [2001, 2002]), .operator, "the highest group wins")
        XCTAssertEqual(Role.of(uid: 1000, groups: [2003], daemonUID: 999, readerGID: 2001, operatorGID: 2002, adminGID: nil), .none,
                       "a group that does not exist gives nothing")
    }

    func testRolesAreOrderedAndOnlyAdminsSeeUnmaskedData() {
        XCTAssertTrue(Role.none < .reader && Role.reader < .operator && Role.operator < .admin)
        XCTAssertEqual(Role.allCases.filter { !$0.seesMaskedData }, [.admin])
    }

    func testTheRoleTable() {
        let table: [(String, Role)] = [
            ("whoami", .none), ("status", .reader), ("connectors", .reader), ("journal", .reader),
            ("customer.show", .reader), ("customers", .reader), ("conflicts.list", .reader), ("conflicts.show", .reader),
            ("quarantine.list", .reader), ("quarantine.show", .reader),
            ("sync", .operator), ("pause", .operator), ("resume", .operator), ("reload", .operator),
            ("quarantine.retry", .operator), ("quarantine.dismiss", .operator), ("conflicts.resolve", .operator),
            ("tag", .operator),
            ("verify", .operator), ("config.check", .operator), ("backups", .operator),
            ("export", .admin), ("backup", .admin), ("merge", .admin), ("split", .admin),
        ]
        for (command, role) in table {
            XCTAssertEqual(CommandRoles.required(for: command), role, command)
            XCTAssertEqual(CommandRoles.isJournaled(command), role >= .operator, command)
        }
        XCTAssertEqual(CommandRoles.table.count, table.count, "every command is in the table above")
        XCTAssertNil(CommandRoles.required(for: "drop-everything"))
        XCTAssertEqual(CommandRoles.commands(for: .none), ["whoami"])
        XCTAssertTrue(CommandRoles.commands(for: .operator).contains("customers"))
        XCTAssertFalse(CommandRoles.commands(for: .operator).contains("export"))
    }

    func testRefusalNamesTheRoleAndTheGroup() {
        let message = CommandRoles.refusal(command: "quarantine.retry", needs: .operator, caller: "uid 1001 (bob)", has: .reader,
                                           access: AccessSettings())
        XCTAssertTrue(message.contains("`quarantine retry` needs the operator role"), message)
        XCTAssertTrue(message.contains("uid 1001 (bob) has the reader role"), message)
        XCTAssertTrue(message.contains("custsync-operator"), message)
        let none = CommandRoles.refusal(command: "status", needs: .reader, caller: "uid 1002 (eve)", has: .none, access: AccessSettings())
        XCTAssertTrue(none.contains("has no role"), none)
    }

    func testAdminActionsNeverCarrySecrets() {
        let action = AdminAction(uid: 1001, user: "bob", role: .operator, command: "sync",
                                 arguments: ["name": "crm", "api_token": "s3cret", "password": "hunter2"], outcome: "ok")
        XCTAssertEqual(action.arguments, ["name": "crm", "api_token": "***", "password": "***"])
    }
}
