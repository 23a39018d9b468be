import CustSyncCore
import Foundation
import Glibc
import XCTest

/// Faults of the store's medium under the real daemon: a full disk and a file system that turns
/// read-only pause ingestion with a clear status and resume by themselves once mended, with
/// every record applied exactly once; a store read-only at start and a damaged store file are
/// refused at start with a message that says what to do.
final class StoreFaultTests: XCTestCase {
    /// Records per batch, and per state line of the generator: every committed batch is whole.
    private static let batch = 100

    private func installation() throws -> TestInstallation {
        try TestInstallation(mainExtra: "BatchSize=\(Self.batch)")
    }

    /// Checks `syncctl status` while the store is faulted: JSON and human.
    private func checkPaused(_ installation: TestInstallation, state: String, message: [String], connectors: [String],
                             file: StaticString = #filePath, line: UInt = #line) throws {
        let status = try installation.status()
        try Shape.check(status, Shape.status, file: file, line: line)
        let health = try XCTUnwrap(status["store_health"] as? [String: Any], file: file, line: line)
        try Shape.check(health, Shape.storeHealth, file: file, line: line)
        XCTAssertEqual(health["state"] as? String, state, "\(health)", file: file, line: line)
        let text = health["message"] as? String ?? ""
        for piece in message { XCTAssertTrue(text.contains(piece), "store_health.message lacks \"\(piece)\": \(text)", file: file, line: line) }
        XCTAssertNotNil(health["since"], file: file, line: line)
        XCTAssertEqual(status["verdict"] as? String, "failing", file: file, line: line)
        XCTAssertTrue((status["verdict_reason"] as? String ?? "").hasPrefix("ingestion paused: store "), "\(status["verdict_reason"] ?? "")",
                      file: file, line: line)
        let states = Dictionary(uniqueKeysWithValues: (status["connectors"] as? [[String: Any]] ?? []).map {
            ($0["name"] as? String ?? "", $0["state"] as? String ?? "")
        })
        for name in connectors {
            XCTAssertEqual(states[name], "waiting-for-store", "\(states)", file: file, line: line)
        }

        let human = try installation.humanStatus()
        XCTAssertTrue(human.contains("verdict: failing — ingestion paused: store"), human, file: file, line: line)
        let flat = human.filter { !$0.isWhitespace }
        XCTAssertTrue(flat.contains(("INGESTION PAUSED: " + text).filter { !$0.isWhitespace }), human, file: file, line: line)
        XCTAssertTrue(human.contains("waiting-for-store"), human, file: file, line: line)
        for row in human.split(separator: "\n") {
            XCTAssertLessThanOrEqual(Shape.displayWidth(String(row)), 80, "\(row)", file: file, line: line)
        }
    }

    /// The daemon waits without spinning: over two seconds of a pause it uses well under a
    /// second of CPU (a busy loop would use about two). Not a performance figure: a liveness bound.
    private func checkIdle(_ daemon: DaemonProcess, file: StaticString = #filePath, line: UInt = #line) {
        let before = daemon.cpuSeconds
        sleep(2)
        XCTAssertTrue(daemon.isRunning, "the daemon died:\n\(daemon.log.suffix(2000))", file: file, line: line)
        XCTAssertLessThan(daemon.cpuSeconds - before, 0.5, "the daemon spins while the store is faulted", file: file, line: line)
    }

    /// Every record of `connector` once, whole batches only, and a gapless journal.
    private func checkExactlyOnce(_ installation: TestInstallation, keys: Int, interactions: Int? = nil,
                                  file: StaticString = #filePath, line: UInt = #line) throws {
        XCTAssertEqual(try installation.count("SELECT count(*) FROM applied_records"), Int64(keys), file: file, line: line)
        XCTAssertEqual(try installation.count("SELECT count(*) FROM customers"), Int64(keys), file: file, line: line)
        XCTAssertEqual(try installation.count("SELECT count(*) FROM journal WHERE kind = 'customer.created'"), Int64(keys),
                       file: file, line: line)
        if let interactions {
            XCTAssertEqual(try installation.count("SELECT count(*) FROM journal WHERE kind = 'interaction.recorded'"),
                           Int64(interactions), file: file, line: line)
        }
        let head = try installation.count("SELECT max(seq) FROM journal")
        XCTAssertEqual(try installation.count("SELECT count(*) FROM journal"), head, "the journal has gaps", file: file, line: line)
    }

    func testDiskFullPausesIngestionAndResumesWhenSpaceReturns() throws {
        let total = 1500
        let installation = try installation()
        // 2 MiB hold the empty store and a few hundred records, not all of them.
        let disk = try TmpfsMount(at: installation.root.file("lib"), size: "2m")
        try installation.addGenerator("gen", count: total, stateEvery: Self.batch, interval: "1s")
        let witness = try WitnessConnector(in: installation)
        let daemon = try installation.start()
        addTeardownBlock { if daemon.isRunning { daemon.crash() }; disk.unmount() }

        XCTAssertTrue(try waitUntil(timeout: 60) {
            (try installation.status()["store_health"] as? [String: Any])?["state"] as? String == "full"
        }, daemon.log.suffix(3000).description)
        try checkPaused(installation, state: "full",
                        message: ["store full: ", " bytes free on \(disk.path)", "free at least 4 MiB there", "ingestion resumes by itself"],
                        connectors: ["gen", WitnessConnector.name])
        XCTAssertTrue(daemon.log.contains("<3>store.fault kind=full"), daemon.log.suffix(3000).description)

        // The failed batch rolled back whole and the cursor stayed with the last whole batch;
        // nothing moves while paused.
        let applied = try installation.count("SELECT count(*) FROM applied_records WHERE source = 'gen'")
        XCTAssertGreaterThan(applied, 0)
        XCTAssertLessThan(applied, Int64(total), "the disk was large enough after all; the test proves nothing")
        XCTAssertEqual(applied % Int64(Self.batch), 0, "a partial batch was committed")
        let cursor = Int64(try installation.connectorStatus("gen")?["cursor"] as? String ?? "") ?? -1
        XCTAssertTrue(cursor == applied || cursor == applied - Int64(Self.batch), "cursor \(cursor) for \(applied) records")
        checkIdle(daemon)
        XCTAssertEqual(try installation.count("SELECT count(*) FROM applied_records WHERE source = 'gen'"), applied)

        try disk.resize("64m")
        XCTAssertTrue(try waitUntil(timeout: 60) {
            try installation.connectorStatus("gen")?["cursor"] as? String == String(total)
        }, daemon.log.suffix(3000).description)
        let status = try installation.status()
        XCTAssertEqual((status["store_health"] as? [String: Any])?["state"] as? String, "ok")
        XCTAssertNil((status["store_health"] as? [String: Any])?["message"])
        XCTAssertTrue(daemon.log.contains("<5>store.recovered"), daemon.log.suffix(3000).description)
        try witness.add(1)
        XCTAssertTrue(try waitUntil(timeout: 15) { try witness.applied() == 1 })

        daemon.signal(SIGTERM)
        XCTAssertEqual(daemon.waitForExit(timeout: 10), 0)
        try checkExactlyOnce(installation, keys: total + 1, interactions: total)
    }

    func testStoreFileSystemTurnsReadOnlyPausesIngestionAndResumesAfterRepair() throws {
        let installation = try installation()
        let disk = try LoopFileSystem(at: installation.root.file("lib"), image: installation.root.file("lib.ext4"), megabytes: 32)
        let witness = try WitnessConnector(in: installation)
        for number in 1...3 { try witness.add(number) }
        let daemon = try installation.start()
        addTeardownBlock { if daemon.isRunning { daemon.crash() }; disk.unmount() }
        XCTAssertTrue(try waitUntil(timeout: 30) { try witness.applied() == 3 })

        // The disk fails: the kernel remounts the file system read-only under the open store.
        try disk.failLikeADisk()
        try witness.add(4)
        XCTAssertTrue(try waitUntil(timeout: 30) {
            (try installation.status()["store_health"] as? [String: Any])?["state"] as? String == "read-only"
        }, daemon.log.suffix(3000).description)
        try checkPaused(installation, state: "read-only",
                        message: ["store read-only: \(disk.path) is on a read-only file system", "unmount, fsck, mount read-write",
                                  "ingestion resumes by itself"],
                        connectors: [WitnessConnector.name])
        checkIdle(daemon)

        // The operator repairs it without stopping the daemon, which has let go of the file.
        try disk.repair()
        XCTAssertTrue(try waitUntil(timeout: 30) { try witness.applied() == 4 }, daemon.log.suffix(3000).description)
        XCTAssertEqual((try installation.status()["store_health"] as? [String: Any])?["state"] as? String, "ok")
        daemon.signal(SIGTERM)
        XCTAssertEqual(daemon.waitForExit(timeout: 10), 0)
        try checkExactlyOnce(installation, keys: 4)
    }

    func testStoreReadOnlyAtStartIsRefusedWithAClearMessage() throws {
        let installation = try installation()
        let disk = try TmpfsMount(at: installation.root.file("lib"), size: "1m", readOnly: true)
        defer { disk.unmount() }
        let daemon = try DaemonProcess(config: installation.configPath, logPath: installation.root.file("refused.log"))
        XCTAssertEqual(daemon.waitForExit(timeout: 10), 1, "a store that cannot be written is refused at start")
        let log = daemon.log
        XCTAssertTrue(log.contains("<2>custsyncd: cannot start: store read-only: "), log)
        XCTAssertTrue(log.contains(installation.storePath), log)
        XCTAssertTrue(log.contains("Make the store's folder writable"), log)
        XCTAssertEqual(try installation.syncctl(["status"]).status, 3)
    }

    func testCorruptedStoreFileIsRefusedAtStartAndPointsToTheRestore() throws {
        let installation = try installation()
        try installation.addGenerator("gen", count: 3000, stateEvery: Self.batch)
        let daemon = try installation.start()
        XCTAssertTrue(try waitUntil(timeout: 60) { try installation.connectorStatus("gen")?["cursor"] as? String == "3000" })
        daemon.signal(SIGTERM)
        XCTAssertEqual(daemon.waitForExit(timeout: 10), 0)

        // Fold the WAL into the file, then overwrite three pages in its middle.
        let checkpoint = try CommandResult.run("/usr/bin/sqlite3", [installation.storePath, "PRAGMA wal_checkpoint(TRUNCATE);"])
        XCTAssertEqual(checkpoint.status, 0, checkpoint.stderr)
        let size = try XCTUnwrap(try FileManager.default.attributesOfItem(atPath: installation.storePath)[.size] as? Int)
        let page = 4096
        XCTAssertGreaterThan(size / page, 20, "the store is too small to have a middle")
        let store = try FileHandle(forWritingTo: URL(fileURLWithPath: installation.storePath))
        try store.seek(toOffset: UInt64(size / page / 2 * page))
        try store.write(contentsOf: Data((0..<(3 * page)).map { UInt8(truncatingIfNeeded: $0 &* 131 &+ 7) }))
        try store.close()
        let damaged = try Data(contentsOf: URL(fileURLWithPath: installation.storePath))

        let refused = try DaemonProcess(config: installation.configPath, logPath: installation.root.file("refused.log"))
        let unit = try String(contentsOf: Paths.repository.appendingPathComponent("systemd/custsyncd.service"), encoding: .utf8)
        let noRestart = try XCTUnwrap(unit.split(separator: "\n").first { $0.hasPrefix("RestartPreventExitStatus=") })
        XCTAssertEqual(refused.waitForExit(timeout: 20).map { "RestartPreventExitStatus=\($0)" }, String(noRestart),
                       "systemd must not restart the daemon on a damaged store: \(refused.log)")
        let log = refused.log
        XCTAssertTrue(log.contains("<2>custsyncd: cannot start: \(installation.storePath) is damaged"), log)
        for hint in ["syncctl backups", "custsyncd --restore latest", "docs/RESTORE.md"] {
            XCTAssertTrue(log.contains(hint), "the message does not point to \(hint): \(log)")
        }
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: installation.storePath)), damaged, "a refused store is not touched")
        XCTAssertEqual(try installation.syncctl(["status"]).status, 3)
    }
}
