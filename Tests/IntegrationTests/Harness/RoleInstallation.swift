import Foundation
import Glibc
import XCTest

/// A throwaway installation whose `[Access]` names throwaway reader, operator and admin groups,
/// one user in each, and syncctl run as any of them. Needs root (it creates Unix users and
/// groups); `tearDown()` stops the daemon and removes them.
final class RoleInstallation {
    private(set) var users = TestUsers()
    let installation: TestInstallation
    let reader: String
    let operatorUser: String
    let admin: String
    let operatorGroup: String

    /// `mainExtra` goes into the main configuration before `[Access]`.
    init(mainExtra: String = "") throws {
        try XCTSkipUnless(TestUsers.isRoot, "role tests create Unix users and groups and switch to them: run them as root")
        let readers = try users.group("read")
        operatorGroup = try users.group("oper")
        let admins = try users.group("admin")
        reader = try users.user("r", groups: [readers])
        operatorUser = try users.user("o", groups: [operatorGroup])
        admin = try users.user("a", groups: [admins])
        installation = try TestInstallation(mainExtra: mainExtra + """

            [Access]
            ReaderGroup=\(readers)
            OperatorGroup=\(operatorGroup)
            AdminGroup=\(admins)
            """)
        CustomerFixture.openToEveryone(installation)
    }

    /// Another throwaway user (in no role's group, unless `groups` says otherwise).
    func user(_ base: String, groups: [String] = []) throws -> String {
        try users.user(base, groups: groups)
    }

    func syncctl(as user: String, group: String? = nil, _ arguments: [String]) throws -> CommandResult {
        try TestUsers.run(as: user, group: group, Paths.syncctl, ["--socket", installation.socketPath] + arguments)
    }

    func tearDown() {
        if let daemon = installation.daemon, daemon.isRunning {
            daemon.signal(SIGTERM)
            _ = daemon.waitForExit(timeout: 10)
        }
        users.removeAll()
    }
}
