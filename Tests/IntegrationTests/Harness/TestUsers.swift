import Foundation
import Glibc
import XCTest

/// Throwaway Unix users and groups for role tests, named `cstest-…-PID` so that two test runs
/// never collide, and removed by `removeAll()` (call it from `tearDown`). Needs root.
final class TestUsers {
    private let suffix = String(getpid())
    private var users: [String] = []
    private var groups: [String] = []

    static var isRoot: Bool { geteuid() == 0 }

    /// Creates group `cstest-BASE-PID` and returns its name.
    func group(_ base: String) throws -> String {
        let name = "cstest-\(base)-\(suffix)"
        try Self.run("/usr/sbin/groupadd", [name])
        groups.append(name)
        return name
    }

    /// Creates user `cstest-BASE-PID` with a group of its own as primary group (or `primary`)
    /// and `groups` as supplementary groups; no home directory, no login shell.
    func user(_ base: String, groups supplementary: [String] = [], primary: String? = nil) throws -> String {
        let name = "cstest-\(base)-\(suffix)"
        var arguments = ["-M", "-s", "/usr/sbin/nologin"]
        if let primary { arguments += ["-N", "-g", primary] } else { arguments.append("-U") }
        if !supplementary.isEmpty { arguments += ["-G", supplementary.joined(separator: ",")] }
        try Self.run("/usr/sbin/useradd", arguments + [name])
        users.append(name)
        return name
    }

    func removeAll() {
        for user in users.reversed() { _ = try? CommandResult.run("/usr/sbin/userdel", [user]) }
        for group in groups.reversed() { _ = try? CommandResult.run("/usr/sbin/groupdel", [group]) }
        // A user's own group (useradd -U) goes with the user; make sure.
        for user in users { _ = try? CommandResult.run("/usr/sbin/groupdel", [user]) }
        users.removeAll()
        groups.removeAll()
    }

    /// Runs `executable` as `user` with the user's groups from the group database
    /// (`setpriv --init-groups`), or with only `group` when it is given.
    static func run(as user: String, group: String? = nil, _ executable: String, _ arguments: [String]) throws -> CommandResult {
        let identity = group.map { ["--reuid=\(user)", "--regid=\($0)", "--clear-groups"] }
            ?? ["--reuid=\(user)", "--regid=\(user)", "--init-groups"]
        return try CommandResult.run("/usr/bin/setpriv", identity + [executable] + arguments)
    }

    private static func run(_ executable: String, _ arguments: [String]) throws {
        let result = try CommandResult.run(executable, arguments)
        guard result.status == 0 else {
            throw TestInstallation.Failure("\(executable) \(arguments.joined(separator: " ")) failed (\(result.status)): \(result.stderr)")
        }
    }
}
