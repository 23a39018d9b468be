import CustSyncCore
import Foundation
import Glibc
import XCTest

/// syncctl against a real daemon: every command's `--json` shape, human output in 80 columns,
/// the journal's filters and `--follow`, quarantine retry, verify, backups and a restore.
final class SyncctlTests: XCTestCase {
    private func started(mainExtra: String = "") throws -> TestInstallation {
        let installation = try TestInstallation(mainExtra: CustomerFixture.configuration + "\n" + mainExtra)
        try CustomerFixture.install(in: installation)
        try installation.start()
        XCTAssertTrue(try waitUntil(timeout: 30) { (try installation.connectorStatus("crm")?["cursor"] as? String) == "done" })
        return installation
    }

    /// Runs `syncctl ARGS --json` and returns the parsed output, failing the test when it does
    /// not exit `status` or does not parse.
    private func json(_ installation: TestInstallation, _ arguments: [String], status: Int32 = 0,
                      file: StaticString = #filePath, line: UInt = #line) throws -> Any {
        let result = try installation.syncctl(arguments + ["--json"])
        XCTAssertEqual(result.status, status, "syncctl \(arguments.joined(separator: " ")): \(result.stderr)", file: file, line: line)
        return try XCTUnwrap(result.json, "not JSON: \(result.stdout)", file: file, line: line)
    }

    func testEveryCommandsJSONHasItsDocumentedShape() throws {
        let installation = try started()

        let status = try json(installation, ["status"])
        try Shape.check(status, Shape.status)
        try Shape.check(try XCTUnwrap((status as? [String: Any])?["store_health"]), Shape.storeHealth)
        XCTAssertNotNil((status as? [String: Any])?["store"], "counts are there while the store is readable")
        let connectors = try XCTUnwrap(status as? [String: Any])["connectors"] as? [Any]
        for connector in connectors ?? [] { try Shape.check(connector, Shape.connector) }
        for entry in try XCTUnwrap((status as? [String: Any])?["recent_journal"] as? [Any]) { try Shape.check(entry, Shape.journalEntry) }

        let list = try XCTUnwrap(try json(installation, ["connectors"]) as? [Any])
        XCTAssertEqual(list.count, 1)
        for connector in list { try Shape.check(connector, Shape.connector) }

        let journal = try installation.syncctl(["journal", "--limit", "20", "--json"])
        XCTAssertEqual(journal.status, 0, journal.stderr)
        let lines = journal.stdout.split(separator: "\n")
        XCTAssertFalse(lines.isEmpty)
        for line in lines { try Shape.check(try JSONSerialization.jsonObject(with: Data(line.utf8)), Shape.journalEntry) }

        let customer = try json(installation, ["customer", "show", "KH-0000001"])
        try Shape.check(customer, Shape.customer)
        let customerObject = try XCTUnwrap(customer as? [String: Any])
        for field in customerObject["fields"] as? [Any] ?? [] { try Shape.check(field, Shape.customerField) }
        for identifier in customerObject["identifiers"] as? [Any] ?? [] { try Shape.check(identifier, Shape.identifier) }
        for interaction in customerObject["interactions"] as? [Any] ?? [] { try Shape.check(interaction, Shape.interaction) }
        XCTAssertEqual((customerObject["interactions"] as? [Any])?.count, 1)
        XCTAssertEqual((customerObject["open_conflicts"] as? [Any])?.count, 1)

        let customers = try json(installation, ["customers"])
        try Shape.check(customers, Shape.customerList)
        let summaries = try XCTUnwrap((customers as? [String: Any])?["customers"] as? [Any])
        XCTAssertEqual(summaries.count, 2)
        for summary in summaries { try Shape.check(summary, Shape.customerSummary) }

        let export = try installation.syncctl(["export", "--json"])
        XCTAssertEqual(export.status, 0, export.stderr)
        let exported = export.stdout.split(separator: "\n")
        XCTAssertEqual(exported.count, 2)
        for line in exported { try Shape.check(try JSONSerialization.jsonObject(with: Data(line.utf8)), Shape.exportRecord) }

        let conflicts = try json(installation, ["conflicts"])
        try Shape.check(conflicts, Shape.conflictList)
        let conflict = try XCTUnwrap(((conflicts as? [String: Any])?["conflicts"] as? [[String: Any]])?.first)
        try Shape.check(conflict, Shape.conflict)
        let conflictID = try XCTUnwrap(conflict["id"] as? Int)
        try Shape.check(try json(installation, ["conflicts", "show", String(conflictID)]), Shape.conflict)

        let quarantine = try json(installation, ["quarantine", "list"])
        try Shape.check(quarantine, Shape.quarantineList)
        let entry = try XCTUnwrap(((quarantine as? [String: Any])?["entries"] as? [[String: Any]])?.first)
        try Shape.check(entry, Shape.quarantineEntry)
        XCTAssertNil(entry["raw"], "list leaves the raw input out")
        let entryID = try XCTUnwrap(entry["id"] as? Int)
        let shown = try json(installation, ["quarantine", "show", String(entryID)])
        try Shape.check(shown, Shape.quarantineEntry)
        XCTAssertNotNil((shown as? [String: Any])?["raw"])

        for command in [["sync", "crm"], ["pause", "crm"], ["resume", "crm"], ["reload"]] {
            try Shape.check(try json(installation, command), Shape.message)
        }
        try Shape.check(try json(installation, ["config", "check"]), Shape.configCheck)
        let verify = try json(installation, ["verify"])
        try Shape.check(verify, Shape.verify)
        for check in (verify as? [String: Any])?["checks"] as? [Any] ?? [] { try Shape.check(check, Shape.verifyCheck) }
        try Shape.check(try json(installation, ["backup"]), Shape.backupResult)
        let backups = try json(installation, ["backups"])
        try Shape.check(backups, Shape.backupList)
        for backup in (backups as? [String: Any])?["backups"] as? [Any] ?? [] { try Shape.check(backup, Shape.backupEntry) }
        try Shape.check(try json(installation, ["whoami"]), Shape.whoami)
        try Shape.check(try json(installation, ["quarantine", "dismiss", String(entryID)]), Shape.quarantineChange)
        // Identity commands answer {"message": …}; a refused merge says why.
        let merge = try installation.syncctl(["merge", "KH-0000001", "KH-9999999", "--json"])
        XCTAssertEqual(merge.status, 5, merge.stderr)
        XCTAssertTrue(merge.stderr.contains("unknown customer code"), merge.stderr)
    }

    func testHelpNamesEveryDocumentedJSONMember() throws {
        // `syncctl help COMMAND` is what an operator reads first; its `--json:` line must not
        // leave out members syncctl(1) documents (Shape), or scripts are written without them.
        let shapes: [([String], [Shape])] = [
            (["status"], [Shape.status]), (["customer", "show"], [Shape.customer]),
            (["customers"], [Shape.customerList, Shape.customerSummary]), (["conflicts", "list"], [Shape.conflictList, Shape.conflict]),
            (["quarantine", "list"], [Shape.quarantineList]), (["quarantine", "show"], [Shape.quarantineEntry]),
            (["quarantine", "retry"], [Shape.quarantineChange]), (["config", "check"], [Shape.configCheck]),
            (["verify"], [Shape.verify, Shape.verifyCheck]), (["backup"], [Shape.backupResult]),
            (["backups"], [Shape.backupList, Shape.backupEntry]), (["whoami"], [Shape.whoami]),
        ]
        for (command, documented) in shapes {
            let result = try CommandResult.run(Paths.syncctl, ["help"] + command, environment: ["COLUMNS": "80"])
            XCTAssertEqual(result.status, 0, "\(command): \(result.stderr)")
            let json = try XCTUnwrap(result.stdout.components(separatedBy: "--json:").last?.components(separatedBy: "\n\n").first,
                                     result.stdout)
            let named = Set(json.split { !($0.isLetter || $0 == "_") }.map(String.init))
            for shape in documented {
                let missing = shape.required.union(shape.optional).subtracting(named)
                XCTAssertTrue(missing.isEmpty, "syncctl help \(command.joined(separator: " ")) leaves out \(missing.sorted()): \(json)")
            }
            XCTAssertFalse(result.stdout.contains("?."), "\(command): \(result.stdout)")
        }
    }

    func testHumanOutputFitsEightyColumns() throws {
        let installation = try started()
        _ = try installation.syncctl(["backup"])
        let commands: [[String]] = [["status"], ["connectors"], ["journal"], ["customer", "show", "zhangwei@example.com"],
                                    ["customers"], ["conflicts"], ["quarantine"], ["quarantine", "show", "1"], ["backups"],
                                    ["verify"], ["whoami"], ["help"], ["help", "journal"], ["config", "check"]]
        for command in commands {
            let result = try CommandResult.run(Paths.syncctl, ["--socket", installation.socketPath] + command,
                                               environment: ["COLUMNS": "80"])
            XCTAssertEqual(result.status, 0, "\(command): \(result.stderr)")
            XCTAssertFalse(result.stdout.contains("\u{1B}["), "\(command): colour without a terminal")
            for line in result.stdout.split(separator: "\n") {
                XCTAssertLessThanOrEqual(Shape.displayWidth(String(line)), 80, "\(command): \(line)")
            }
        }
        let show = try installation.syncctl(["customer", "show", "13800138000"])
        XCTAssertTrue(show.stdout.contains("张伟"), show.stdout)
        XCTAssertTrue(show.stdout.contains("zhangwei@example.com"), "root sees it unmasked: \(show.stdout)")
        XCTAssertTrue(show.stdout.contains("first-value"), show.stdout)
        let status = try installation.syncctl(["status"])
        XCTAssertTrue(status.stdout.contains("1 open conflicts, 1 quarantined"), status.stdout)
        XCTAssertTrue(status.stdout.contains("backup: last"), status.stdout)
        let unknown = try installation.syncctl(["quarantine", "show", "999"])
        XCTAssertEqual(unknown.status, 5, unknown.stderr)
        let usage = try installation.syncctl(["customers", "--follow"])
        XCTAssertEqual(usage.status, 2, usage.stderr)
    }

    func testJournalFiltersAndFollow() throws {
        let installation = try started()
        let byCustomer = try installation.syncctl(["journal", "--customer", "KH-0000002", "--json"])
        let entries = try byCustomer.stdout.split(separator: "\n").map { try XCTUnwrap(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
        XCTAssertFalse(entries.isEmpty)
        XCTAssertTrue(entries.allSatisfy { $0["customer"] as? String == "KH-0000002" })
        let created = try installation.syncctl(["journal", "--kind", "customer.*", "--since", "0", "--json"]).stdout.split(separator: "\n")
        XCTAssertEqual(created.count, 2, "two customer.created entries")
        let recent = try installation.syncctl(["journal", "--since", "1h", "--json"]).stdout.split(separator: "\n")
        XCTAssertGreaterThanOrEqual(recent.count, created.count)
        XCTAssertEqual(try installation.syncctl(["journal", "--since", "2999-01-01", "--json"]).stdout, "")
        XCTAssertEqual(try installation.syncctl(["journal", "--source", "nosuch", "--json"]).stdout, "")
        XCTAssertEqual(try installation.syncctl(["journal", "--source", "nosuch"]).stdout, "no entries\n", "said, not left blank")
        XCTAssertEqual(try installation.syncctl(["journal", "--since", "yesterday-ish"]).status, 2)
        let pastHead = try installation.syncctl(["journal", "--since", "999999"])
        XCTAssertEqual(pastHead.stdout, "no entries\n")
        XCTAssertTrue(pastHead.stderr.contains("--since 999999 is past the journal's newest entry"), pastHead.stderr)

        // --follow prints what commits after it started, filtered.
        let output = installation.root.file("follow.out")
        _ = FileManager.default.createFile(atPath: output, contents: nil)
        let follower = Process()
        follower.executableURL = URL(fileURLWithPath: Paths.syncctl)
        follower.arguments = ["--socket", installation.socketPath, "journal", "--follow", "--kind", "admin.action", "--json"]
        follower.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: output))
        try follower.run()
        defer { if follower.isRunning { follower.terminate(); follower.waitUntilExit() } }
        XCTAssertEqual(try installation.syncctl(["sync", "crm"]).status, 0)
        XCTAssertTrue(waitUntil(timeout: 20) {
            ((try? String(contentsOfFile: output, encoding: .utf8)) ?? "").contains(#"\"command\":\"sync\""#)
        }, (try? String(contentsOfFile: output, encoding: .utf8)) ?? "")
        let followed = try String(contentsOfFile: output, encoding: .utf8).split(separator: "\n")
        for line in followed {
            let entry = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            XCTAssertEqual(entry["kind"] as? String, "admin.action")
        }
    }

    func testQuarantineRetryWaitsForTheFixedUpstream() throws {
        let installation = try started()
        func entries() throws -> [[String: Any]] {
            try XCTUnwrap((try json(installation, ["quarantine", "--status", "all"]) as? [String: Any])?["entries"] as? [[String: Any]])
        }
        func status(_ id: Int) throws -> String? { try entries().first { $0["id"] as? Int == id }?["status"] as? String }
        let first = try XCTUnwrap(try entries().first?["id"] as? Int)

        // The upstream still sends the bad line: the retry is superseded by a new entry.
        let retried = try XCTUnwrap(try json(installation, ["quarantine", "retry", String(first)]) as? [String: Any])
        XCTAssertEqual(retried["status"] as? String, "retrying")
        XCTAssertTrue(try waitUntil(timeout: 20) { try status(first) == "superseded" })
        let second = try XCTUnwrap(try entries().first { $0["status"] as? String == "open" }?["id"] as? Int)
        XCTAssertNotEqual(second, first)
        XCTAssertEqual(try installation.syncctl(["quarantine", "retry", String(first)]).status, 1, "only open entries are retried")

        // Fixed upstream: the retry closes the entry, and the verdict recovers.
        var fixed = CustomerFixture.records
        fixed[3] = #"{"type":"record","key":"C3","observed_at":1700000300,"fields":{"name":"Cai Lun","phone":"13912345678"}}"#
        try CustomerFixture.write(fixed, in: installation)
        XCTAssertEqual(try installation.syncctl(["quarantine", "retry", String(second)]).status, 0)
        XCTAssertTrue(try waitUntil(timeout: 20) { try status(second) == "closed" })
        XCTAssertEqual(try installation.status()["verdict"] as? String, "ok")
        let actions = try installation.syncctl(["journal", "--kind", "admin.action", "--since", "0", "--json"]).stdout
        XCTAssertEqual(actions.components(separatedBy: #"\"command\":\"quarantine retry\""#).count - 1, 3)
    }

    func testVerifyFindsBrokenInvariants() throws {
        let installation = try started()
        let clean = try XCTUnwrap(try json(installation, ["verify"]) as? [String: Any])
        XCTAssertEqual(clean["ok"] as? Bool, true, "\(clean)")
        let daemon = try XCTUnwrap(installation.daemon)
        daemon.signal(SIGTERM)
        XCTAssertEqual(daemon.waitForExit(timeout: 10), 0)
        let damage = try CommandResult.run("/usr/bin/sqlite3", [installation.storePath, """
            DROP TRIGGER journal_no_delete; DELETE FROM journal WHERE seq = 2;
            INSERT INTO identifiers(kind, value, customer_code, source, first_seen) VALUES ('email', 'ghost@example.com', 'KH-9999999', 'test', 0);
            """])
        XCTAssertEqual(damage.status, 0, damage.stderr)
        try installation.start()
        let report = try XCTUnwrap(try json(installation, ["verify"], status: 6) as? [String: Any])
        XCTAssertEqual(report["ok"] as? Bool, false)
        let checks = try XCTUnwrap(report["checks"] as? [[String: Any]])
        func check(_ name: String) -> [String: Any]? { checks.first { $0["name"] as? String == name } }
        XCTAssertEqual(check("integrity")?["ok"] as? Bool, true)
        XCTAssertEqual(check("journal-gapless")?["ok"] as? Bool, false)
        XCTAssertTrue((check("journal-gapless")?["problems"] as? [String] ?? []).contains("entry 2 is missing"), "\(checks)")
        XCTAssertEqual(check("identifiers-live")?["ok"] as? Bool, false)
        XCTAssertTrue((check("identifiers-live")?["problems"] as? [String] ?? []).contains { $0.contains("KH-9999999") })
        let human = try installation.syncctl(["verify"])
        XCTAssertEqual(human.status, 6)
        XCTAssertTrue(human.stdout.contains("FAIL  journal-gapless"), human.stdout)
    }

    func testBackupCorruptTheStoreRestoreAndVerify() throws {
        let installation = try started()
        let backup = try XCTUnwrap(try json(installation, ["backup"]) as? [String: Any])
        let path = try XCTUnwrap(backup["path"] as? String)
        XCTAssertEqual(backup["integrity"] as? String, "ok")
        XCTAssertTrue(path.hasPrefix(installation.root.file("lib/backups/")), path)
        let check = try CommandResult.run("/usr/bin/sqlite3", [path, "PRAGMA integrity_check; PRAGMA journal_mode;"])
        XCTAssertEqual(check.stdout, "ok\ndelete\n", check.stderr)
        let headAtBackup = try XCTUnwrap((try installation.status()["store"] as? [String: Any])?["journal_head"] as? Int)

        // A customer arrives after the backup, then the upstream forgets it again.
        try CustomerFixture.write(CustomerFixture.records + [#"{"type":"record","key":"C9","observed_at":1700000900,"fields":{"name":"Late Comer"}}"#],
                                  in: installation)
        XCTAssertEqual(try installation.syncctl(["sync", "crm"]).status, 0)
        XCTAssertTrue(try waitUntil(timeout: 20) { (try installation.status()["store"] as? [String: Any])?["customers"] as? Int == 3 })
        try CustomerFixture.write(CustomerFixture.records, in: installation)
        let daemon = try XCTUnwrap(installation.daemon)
        daemon.signal(SIGTERM)
        XCTAssertEqual(daemon.waitForExit(timeout: 10), 0)

        // Corrupt the live store (after folding the WAL into it, so the damage is not masked
        // by a newer copy of page 1 there): the daemon refuses it and says where to look.
        let checkpoint = try CommandResult.run("/usr/bin/sqlite3", [installation.storePath, "PRAGMA wal_checkpoint(TRUNCATE);"])
        XCTAssertEqual(checkpoint.status, 0, checkpoint.stderr)
        let store = try FileHandle(forWritingTo: URL(fileURLWithPath: installation.storePath))
        try store.write(contentsOf: Data(repeating: 0x5A, count: 100))
        try store.close()
        let refused = try DaemonProcess(config: installation.configPath, logPath: installation.root.file("refused.log"))
        XCTAssertEqual(refused.waitForExit(timeout: 10), 65)
        XCTAssertTrue(refused.log.contains("syncctl backups") && refused.log.contains("docs/RESTORE.md"), refused.log)

        // docs/RESTORE.md: list the backups with the daemon stopped, restore, start, verify.
        let listed = try XCTUnwrap(try json(installation, ["backups", "--config", installation.configPath]) as? [String: Any])
        let names = (listed["backups"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
        let name = URL(fileURLWithPath: path).lastPathComponent
        XCTAssertEqual(names, [name])
        let restore = try CommandResult.run(Paths.custsyncd, ["--config", installation.configPath, "--restore", name])
        XCTAssertEqual(restore.status, 0, restore.stderr)
        XCTAssertTrue(restore.stdout.contains("syncctl verify"), restore.stdout)
        let aside = try FileManager.default.contentsOfDirectory(atPath: installation.root.file("lib")).filter { $0.contains("before-restore") }
        XCTAssertTrue(aside.contains { !$0.hasSuffix("-wal") && !$0.hasSuffix("-shm") }, "\(aside)")
        XCTAssertFalse(FileManager.default.fileExists(atPath: installation.storePath + "-wal"))
        XCTAssertEqual(try CommandResult.run("/usr/bin/sqlite3", [installation.storePath, "PRAGMA integrity_check;"]).stdout, "ok\n")

        try installation.start()
        let verify = try XCTUnwrap(try json(installation, ["verify"]) as? [String: Any])
        XCTAssertEqual(verify["ok"] as? Bool, true, "\(verify)")
        let counts = try XCTUnwrap(try installation.status()["store"] as? [String: Any])
        XCTAssertEqual(counts["customers"] as? Int, 2, "the customer that came after the backup is gone")
        XCTAssertGreaterThanOrEqual(counts["journal_head"] as? Int ?? 0, headAtBackup)
        XCTAssertEqual(try installation.syncctl(["customer", "show", "KH-0000003"]).status, 5)

        // A running daemon is never restored over.
        let again = try CommandResult.run(Paths.custsyncd, ["--config", installation.configPath, "--restore", "latest"])
        XCTAssertEqual(again.status, 1)
        XCTAssertTrue(again.stderr.contains("stop it first"), again.stderr)
    }

    /// A daemon that answers on another socket than the one the restore's configuration names
    /// (started from another configuration, or `ControlSocket=` edited since it started) still
    /// has the store open: the restore must not move the store out from under it.
    func testRestoreRefusesAStoreADaemonOnAnotherSocketHasOpen() throws {
        let installation = try started()
        let backup = try XCTUnwrap(try json(installation, ["backup"]) as? [String: Any])
        XCTAssertNotNil(backup["path"] as? String)
        let moved = TemporaryDirectory("cs-moved")
        try moved.write("custsyncd.conf", """
            [Daemon]
            StateDirectory=\(installation.root.file("lib"))
            RuntimeDirectory=\(moved.file("run"))
            SpoolDirectory=\(installation.root.file("spool"))
            ConnectorsDirectory=\(installation.root.file("etc/connectors.d"))
            """)
        let inode = try XCTUnwrap(try FileManager.default.attributesOfItem(atPath: installation.storePath)[.systemFileNumber] as? UInt64)

        let refused = try CommandResult.run(Paths.custsyncd, ["--config", moved.file("custsyncd.conf"), "--restore", "latest"])
        XCTAssertEqual(refused.status, 1, refused.stdout)
        XCTAssertTrue(refused.stderr.contains(installation.storePath) && refused.stderr.contains("in use")
                      && refused.stderr.contains("process \(installation.daemon?.pid ?? -1)"), refused.stderr)
        XCTAssertEqual(try FileManager.default.attributesOfItem(atPath: installation.storePath)[.systemFileNumber] as? UInt64, inode,
                       "the running daemon's store is where it was")
        XCTAssertFalse(try FileManager.default.contentsOfDirectory(atPath: installation.root.file("lib")).contains { $0.contains("before-restore") })
        XCTAssertEqual(try installation.syncctl(["verify"]).status, 0)
    }

    func testScheduledBackupsAreKeptAndCopiedToTheSecondFolder() throws {
        let second = TemporaryDirectory("cs-second")
        let installation = try started(mainExtra: """
            [Backup]
            BackupInterval=1s
            BackupKeep=2
            SecondaryDirectory=\(second.path)
            """)
        let daemon = try XCTUnwrap(installation.daemon)
        XCTAssertTrue(waitUntil(timeout: 60) {
            daemon.log.components(separatedBy: "backup.done kind=scheduled").count - 1 >= 3
        }, daemon.log)
        daemon.signal(SIGTERM)
        XCTAssertEqual(daemon.waitForExit(timeout: 10), 0)
        for folder in [installation.root.file("lib/backups"), second.path] {
            let scheduled = try FileManager.default.contentsOfDirectory(atPath: folder)
                .filter { BackupCatalog.parse($0)?.kind == .scheduled }
            XCTAssertEqual(scheduled.count, 2, "\(folder): \(scheduled)")
            for name in scheduled {
                let check = try CommandResult.run("/usr/bin/sqlite3", [(folder as NSString).appendingPathComponent(name), "PRAGMA integrity_check;"])
                XCTAssertEqual(check.stdout, "ok\n", "\(name): \(check.stderr)")
            }
        }
        XCTAssertTrue(daemon.log.contains("backup.pruned"), daemon.log)
    }

    /// A scheduled backup named while the clock was years ahead: the schedule goes on from the
    /// backups really made, the misdated file is logged and left alone.
    func testABackupDatedInTheFutureDoesNotHoldBackTheSchedule() throws {
        let installation = try TestInstallation(mainExtra: CustomerFixture.configuration + """

            [Backup]
            BackupInterval=1s
            BackupKeep=2
            """)
        try CustomerFixture.install(in: installation)
        let folder = installation.root.file("lib/backups")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let misdated = BackupCatalog.fileName(at: Date().addingTimeInterval(3 * 365 * 86_400), kind: .scheduled)
        try Data("made while the clock was wrong".utf8).write(to: URL(fileURLWithPath: folder + "/" + misdated))
        let daemon = try installation.start()
        XCTAssertTrue(waitUntil(timeout: 30) {
            daemon.log.components(separatedBy: "backup.done kind=scheduled").count - 1 >= 3
        }, "no scheduled backup was made: \(daemon.log)")
        XCTAssertTrue(daemon.log.contains("backup.misdated") && daemon.log.contains(misdated), daemon.log)
        let next = try XCTUnwrap((try installation.status()["backup"] as? [String: Any])?["next_at"] as? String)
        XCTAssertLessThan(try XCTUnwrap(ISO8601.date(next)).timeIntervalSinceNow, 60, "next backup due \(next)")
        daemon.signal(SIGTERM)
        XCTAssertEqual(daemon.waitForExit(timeout: 10), 0)
        let scheduled = try FileManager.default.contentsOfDirectory(atPath: folder).filter { BackupCatalog.parse($0)?.kind == .scheduled }
        XCTAssertTrue(scheduled.contains(misdated), "\(scheduled)")
        XCTAssertEqual(scheduled.count, 3, "the two newest really made, and the misdated one: \(scheduled)")
    }

    func testConfigCheckReportsAFileTheDaemonWouldRefuse() throws {
        let installation = try started()
        try installation.addConnector("broken", "[Connector]\nName=broken\nKind=exec\nInterval=5 parsecs\n")
        let report = try XCTUnwrap(try json(installation, ["config", "check"], status: 6) as? [String: Any])
        XCTAssertEqual(report["ok"] as? Bool, false)
        let problems = try XCTUnwrap(report["problems"] as? [[String: Any]])
        XCTAssertTrue(problems.allSatisfy { ($0["file"] as? String ?? "").hasSuffix("broken.conf") }, "\(problems)")
        XCTAssertTrue(problems.contains { $0["key"] as? String == "Interval" && $0["line"] as? Int == 4 }, "\(problems)")

        let csv = try installation.syncctl(["export", "--format", "csv"])
        XCTAssertEqual(csv.status, 0, csv.stderr)
        let rows = csv.stdout.components(separatedBy: "\r\n").filter { !$0.isEmpty }
        XCTAssertEqual(rows.first, ExportRecord.csvHeader.joined(separator: ","))
        XCTAssertEqual(rows.count, 3)
        XCTAssertTrue(rows[1].hasPrefix("KH-0000001,张伟,zhangwei@example.com,+8613800138000,"), rows[1])
    }
}
