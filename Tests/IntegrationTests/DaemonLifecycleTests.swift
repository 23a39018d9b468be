import Foundation
import Glibc
import XCTest

/// custsyncd as systemd sees it: READY=1, SIGHUP, SIGTERM, refusals at start.
final class DaemonLifecycleTests: XCTestCase {
    func testReportsReadyAndExecRecordsLandInStatus() throws {
        let installation = try TestInstallation()
        try installation.addGenerator("gen", count: 50, stateEvery: 20)
        try installation.start()
        XCTAssertTrue(try waitUntil(timeout: 30) { (try installation.connectorStatus("gen")?["applied"] as? Int) == 50 })
        let status = try installation.status()
        let connector = try XCTUnwrap(try installation.connectorStatus("gen"))
        XCTAssertEqual(connector["cursor"] as? String, "50")
        XCTAssertEqual(connector["records_in"] as? Int, 50)
        XCTAssertEqual(connector["rejected"] as? Int, 0)
        XCTAssertNotNil(connector["last_success"])
        XCTAssertEqual(connector["kind"] as? String, "exec")
        let store = try XCTUnwrap(status["store"] as? [String: Any])
        XCTAssertEqual(store["customers"] as? Int, 50)
        XCTAssertEqual(store["interactions"] as? Int, 50)
        // customer.created and interaction.recorded for each, and lifecycle.changed: the generated
        // calls are from 2023, so these customers are already churned.
        XCTAssertEqual(try installation.count("SELECT count(*) FROM journal WHERE kind = 'customer.created'"), 50)
        XCTAssertEqual(try installation.count("SELECT count(*) FROM journal WHERE kind = 'interaction.recorded'"), 50)
        XCTAssertEqual(try installation.count("SELECT count(*) FROM customers WHERE stage = 'churned'"), 50)
        let head = try XCTUnwrap(store["journal_head"] as? Int)
        XCTAssertEqual(Int64(head), try installation.count("SELECT count(*) FROM journal"))
        XCTAssertEqual(status["verdict"] as? String, "ok")
        XCTAssertEqual((status["recent_journal"] as? [Any])?.count, 5)
        let daemon = try XCTUnwrap(status["daemon"] as? [String: Any])
        XCTAssertEqual(daemon["pid"] as? Int, Int(installation.daemon!.pid))

        let human = try installation.syncctl(["status"])
        XCTAssertEqual(human.status, 0)
        XCTAssertTrue(human.stdout.contains("gen"), human.stdout)
        XCTAssertTrue(human.stdout.contains("verdict: ok"), human.stdout)

        let journal = try installation.syncctl(["journal", "--since", String(head - 2), "--json"])
        let lines = journal.stdout.split(separator: "\n")
        XCTAssertEqual(lines.count, 2)
        let last = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(lines[1].utf8)) as? [String: Any])
        XCTAssertEqual(last["seq"] as? Int, head)
    }

    /// `top -H` and `ps -L` tell the connectors' threads apart: each is named after its
    /// connector, cut to the 15 bytes the kernel keeps.
    func testEachConnectorThreadCarriesItsConnectorsName() throws {
        let installation = try TestInstallation()
        try installation.addGenerator("gen", count: 5)
        try installation.addGenerator("callcenter-exports", count: 5)
        let daemon = try installation.start()
        var names: [String] = []
        XCTAssertTrue(waitUntil(timeout: 20) {
            let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(daemon.pid)/task")) ?? []
            names = tasks.compactMap { try? String(contentsOfFile: "/proc/\(daemon.pid)/task/\($0)/comm", encoding: .utf8) }
                .map { $0.trimmingCharacters(in: .newlines) }
            return names.contains("conn gen") && names.contains("conn callcenter")
        }, "\(names)")
    }

    func testMalformedLinesAreQuarantinedAndTheRestGoesOn() throws {
        let installation = try TestInstallation()
        let script = installation.root.file("bad.sh")
        try installation.root.write("bad.sh", """
            #!/bin/sh
            echo '{"type":"record","key":"a","fields":{"name":"Ann","email":"ann@example.com"}}'
            echo 'this is not json'
            echo '{"type":"record","key":"b","fields":{"email":"not-an-address"}}'
            echo '{"type":"record","key":"c","fields":{"name":"Cai","phone":"13800138000"}}'
            echo '{"type":"state","cursor":"done"}'
            """)
        chmod(script, 0o755)
        try installation.addConnector("bad", "[Connector]\nName=bad\nKind=exec\nInterval=1h\n[Exec]\nCommand=\(script)\n")
        try installation.start()
        XCTAssertTrue(try waitUntil(timeout: 20) { (try installation.connectorStatus("bad")?["cursor"] as? String) == "done" })
        let connector = try XCTUnwrap(try installation.connectorStatus("bad"))
        XCTAssertEqual(connector["applied"] as? Int, 2)
        XCTAssertEqual(connector["rejected"] as? Int, 2)
        XCTAssertEqual(try installation.count("SELECT count(*) FROM quarantine WHERE origin = 'line 2' AND reason = 'not a JSON object'"), 1)
        XCTAssertEqual(try installation.count("SELECT count(*) FROM quarantine WHERE origin = 'line 3' AND reason LIKE 'email:%'"), 1)
        XCTAssertEqual(try installation.count("SELECT count(*) FROM journal WHERE kind = 'record.rejected'"), 2)
        XCTAssertEqual(try installation.status()["verdict"] as? String, "degraded")
    }

    func testSighupWithBrokenConfigurationKeepsTheOldOne() throws {
        let installation = try TestInstallation()
        try installation.addGenerator("gen", count: 10)
        let daemon = try installation.start()
        XCTAssertTrue(try waitUntil(timeout: 20) { (try installation.connectorStatus("gen")?["applied"] as? Int) == 10 })

        try installation.addConnector("broken", "[Connector]\nName=broken\nKind=exec\nInterval=5 parsecs\n")
        daemon.signal(SIGHUP)
        XCTAssertTrue(daemon.waitForLog("config.kept", timeout: 10), daemon.log)
        XCTAssertTrue(daemon.log.contains("broken.conf"), daemon.log)
        XCTAssertTrue(daemon.log.contains("line=4"), daemon.log)
        XCTAssertTrue(daemon.log.contains("<3>config.invalid"), daemon.log)
        XCTAssertTrue(daemon.isRunning)
        let names = try XCTUnwrap(try installation.status()["connectors"] as? [[String: Any]]).compactMap { $0["name"] as? String }
        XCTAssertEqual(names, ["gen"])
        XCTAssertTrue(installation.notify.waitFor("RELOADING=1", timeout: 5))

        // A valid change is applied.
        try FileManager.default.removeItem(atPath: installation.root.file("etc/connectors.d/broken.conf"))
        try installation.addGenerator("second", count: 5)
        daemon.signal(SIGHUP)
        XCTAssertTrue(try waitUntil(timeout: 20) { (try installation.connectorStatus("second")?["applied"] as? Int) == 5 })
    }

    /// A connector file that became a link to nothing (its file system not mounted, say) is an
    /// invalid configuration, not a removed connector: the reload is refused and it keeps running.
    func testSighupWithADanglingConnectorLinkKeepsTheConnector() throws {
        let installation = try TestInstallation()
        try installation.addGenerator("gen", count: 10)
        let daemon = try installation.start()
        XCTAssertTrue(try waitUntil(timeout: 20) { (try installation.connectorStatus("gen")?["applied"] as? Int) == 10 })

        let file = installation.root.file("etc/connectors.d/gen.conf")
        try FileManager.default.removeItem(atPath: file)
        try FileManager.default.createSymbolicLink(atPath: file, withDestinationPath: "/nonexistent/gen.conf")
        daemon.signal(SIGHUP)
        XCTAssertTrue(daemon.waitForLog("config.kept", timeout: 10), daemon.log)
        XCTAssertTrue(daemon.log.contains("gen.conf"), daemon.log)
        XCTAssertTrue(daemon.log.contains("/nonexistent/gen.conf"), daemon.log)
        XCTAssertNotNil(try installation.connectorStatus("gen"))
    }

    /// Store= and ControlSocket= take effect at the next start (custsyncd.conf(5) RELOADING):
    /// until then reads, status and backups must use the store the writer has open, not the
    /// one the new file names (here through StateDirectory=, which moves the default Store=).
    func testReloadWithAnotherStoreKeepsUsingTheOpenOneUntilRestart() throws {
        let installation = try TestInstallation()
        try installation.addGenerator("gen", count: 10)
        let daemon = try installation.start()
        XCTAssertTrue(try waitUntil(timeout: 20) { (try installation.connectorStatus("gen")?["applied"] as? Int) == 10 })

        let config = try String(contentsOfFile: installation.configPath, encoding: .utf8)
        try config.replacingOccurrences(of: "StateDirectory=\(installation.root.file("lib"))",
                                        with: "StateDirectory=\(installation.root.file("lib2"))")
            .write(toFile: installation.configPath, atomically: true, encoding: .utf8)
        daemon.signal(SIGHUP)
        XCTAssertTrue(daemon.waitForLog("config.reloaded", timeout: 10), daemon.log)
        XCTAssertTrue(daemon.log.contains("config.restart-needed"), daemon.log)

        let status = try installation.status()
        let running = try XCTUnwrap(status["daemon"] as? [String: Any])
        XCTAssertEqual(running["store"] as? String, installation.storePath)
        XCTAssertEqual((status["store"] as? [String: Any])?["customers"] as? Int, 10, "status reads the store in use")
        let backup = try installation.syncctl(["backup"])
        XCTAssertEqual(backup.status, 0, backup.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: installation.root.file("lib2/store.db")),
                       "nothing may create the store the new file names before the next start")
    }

    func testAChangedConnectorDoesNotPollWhileItsOldPollRuns() throws {
        let (installation, slow) = try Self.connectorIgnoringSIGTERM()
        let daemon = try installation.start()
        XCTAssertTrue(slow.waitForStarts(1, timeout: 20), daemon.log)

        // The old program ignores SIGTERM and outlives StopTimeoutSec= (1 s) until its SIGKILL.
        try slow.configure(generation: 2)
        daemon.signal(SIGHUP)
        XCTAssertTrue(slow.waitForStarts(2, timeout: 20), daemon.log)
        XCTAssertEqual(slow.overlaps, "", "a poll of the connector started while its old poll was still running")
        XCTAssertTrue(daemon.log.contains("connector.waiting-for-previous-poll"), daemon.log)
    }

    func testARemovedAndReAddedConnectorDoesNotPollWhileItsOldPollRuns() throws {
        let (installation, slow) = try Self.connectorIgnoringSIGTERM()
        let daemon = try installation.start()
        XCTAssertTrue(slow.waitForStarts(1, timeout: 20), daemon.log)

        let file = installation.root.file("etc/connectors.d/slow.conf")
        let text = try String(contentsOfFile: file, encoding: .utf8)
        try FileManager.default.removeItem(atPath: file)
        daemon.signal(SIGHUP)
        XCTAssertTrue(daemon.waitForLog("config.reloaded", timeout: 10), daemon.log)
        try installation.addConnector("slow", text)
        daemon.signal(SIGHUP)
        XCTAssertTrue(slow.waitForStarts(2, timeout: 20), daemon.log)
        XCTAssertEqual(slow.overlaps, "", "a poll of the connector started while its old poll was still running")
    }

    /// An installation with StopTimeoutSec=1s and an exec connector `slow` whose program ignores
    /// SIGTERM (so it runs until the SIGKILL 2 s later) and notes when it finds the program of
    /// an earlier poll still alive.
    private static func connectorIgnoringSIGTERM() throws -> (TestInstallation, SlowProgram) {
        let installation = try TestInstallation()
        let config = try String(contentsOfFile: installation.configPath, encoding: .utf8)
        try config.replacingOccurrences(of: "StopTimeoutSec=4s", with: "StopTimeoutSec=1s")
            .write(toFile: installation.configPath, atomically: true, encoding: .utf8)
        let slow = SlowProgram(installation: installation)
        try installation.root.write("slow.sh", """
            #!/bin/sh
            trap '' TERM
            if [ -s \(slow.file("pid")) ] && kill -0 "$(cat \(slow.file("pid")))" 2>/dev/null; then
                echo "generation $GENERATION started while $(cat \(slow.file("pid"))) ran" >> \(slow.file("overlaps"))
            fi
            echo $$ > \(slow.file("pid"))
            echo "$GENERATION" >> \(slow.file("starts"))
            sleep 5

            """)
        chmod(installation.root.file("slow.sh"), 0o755)
        try slow.configure(generation: 1)
        return (installation, slow)
    }

    private struct SlowProgram {
        let installation: TestInstallation

        func file(_ name: String) -> String { installation.root.file("slow-\(name)") }

        func configure(generation: Int) throws {
            try installation.addConnector("slow", """
                [Connector]
                Name=slow
                Kind=exec
                Interval=1s
                Timeout=10min

                [Exec]
                Command=\(installation.root.file("slow.sh"))
                Environment=GENERATION=\(generation)
                """)
        }

        var overlaps: String { (try? String(contentsOfFile: file("overlaps"), encoding: .utf8)) ?? "" }

        func waitForStarts(_ count: Int, timeout: TimeInterval) -> Bool {
            waitUntil(timeout: timeout) {
                ((try? String(contentsOfFile: file("starts"), encoding: .utf8)) ?? "").split(separator: "\n").count >= count
            }
        }
    }

    func testSigtermExitsZeroWithinFiveSeconds() throws {
        let installation = try TestInstallation()
        try installation.addGenerator("gen", count: 200_000, stateEvery: 500)
        let daemon = try installation.start()
        XCTAssertTrue(try waitUntil(timeout: 30) { (try installation.connectorStatus("gen")?["applied"] as? Int ?? 0) > 0 })
        let stopAsked = Date()
        daemon.signal(SIGTERM)
        let status = daemon.waitForExit(timeout: 5)
        XCTAssertEqual(status, 0, "custsyncd did not exit 0 within 5 s; log:\n\(daemon.log)")
        XCTAssertLessThan(Date().timeIntervalSince(stopAsked), 5.5)
        XCTAssertTrue(installation.notify.waitFor("STOPPING=1", timeout: 1))
        XCTAssertFalse(FileManager.default.fileExists(atPath: installation.socketPath))
        // What committed is consistent: the cursor matches the records applied.
        let applied = try installation.count("SELECT count(*) FROM applied_records")
        let cursor = try installation.store().connection.statement("SELECT cursor FROM connector_state WHERE name='gen'").first()?.string(0)
        XCTAssertGreaterThanOrEqual(applied, Int64(cursor ?? "0") ?? -1)
    }

    func testSyncctlSaysWhenTheDaemonIsNotRunning() throws {
        let installation = try TestInstallation()
        let result = try installation.syncctl(["status"])
        XCTAssertEqual(result.status, 3)
        XCTAssertTrue(result.stderr.contains("not running"), result.stderr)
    }

    func testForeignDatabaseIsRefusedAndUntouched() throws {
        let installation = try TestInstallation()
        try FileManager.default.createDirectory(atPath: installation.root.file("lib"), withIntermediateDirectories: true)
        let create = try CommandResult.run("/usr/bin/sqlite3", [installation.storePath, "CREATE TABLE invoices(id INTEGER); INSERT INTO invoices VALUES (1);"])
        XCTAssertEqual(create.status, 0, create.stderr)
        let before = try Data(contentsOf: URL(fileURLWithPath: installation.storePath))
        let daemon = try DaemonProcess(config: installation.configPath, logPath: installation.root.file("refused.log"))
        XCTAssertEqual(daemon.waitForExit(timeout: 10), 65, "a refused store exits 65 (RestartPreventExitStatus=)")
        XCTAssertTrue(daemon.log.contains("is not a custsync store"), daemon.log)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: installation.storePath)), before)
    }

    func testCheckConfigAcceptsTheShippedSampleAndNamesErrors() throws {
        let sample = try CommandResult.run(Paths.custsyncd, ["--check-config", "--config", Paths.repository.appendingPathComponent("etc/custsyncd.conf").path])
        XCTAssertEqual(sample.status, 0, sample.stderr)

        let installation = try TestInstallation(mainExtra: "Colour=blue")
        let broken = try CommandResult.run(Paths.custsyncd, ["--check-config", "--config", installation.configPath])
        XCTAssertEqual(broken.status, 1)
        XCTAssertTrue(broken.stderr.contains("custsyncd.conf:8: Colour"), broken.stderr)
    }
}
