import Foundation
import Glibc
import XCTest

/// A connector's configuration removed under the running daemon.
final class ConfigurationFaultTests: XCTestCase {
    func testConnectorConfigurationRemovedWhileRunning() throws {
        let batch = 100
        let installation = try TestInstallation(mainExtra: "BatchSize=\(batch)")
        // Far more records than it can apply before the file goes: its poll is in flight.
        try installation.addGenerator("bulk", count: 1_000_000, stateEvery: batch, interval: "1s")
        let witness = try WitnessConnector(in: installation)
        let daemon = try installation.start()
        XCTAssertTrue(try waitUntil(timeout: 60) { (try installation.connectorStatus("bulk")?["applied"] as? Int ?? 0) >= 1000 })
        XCTAssertEqual(try installation.connectorStatus("bulk")?["state"] as? String, "polling")

        try FileManager.default.removeItem(atPath: installation.root.file("etc/connectors.d/bulk.conf"))
        let reload = try installation.syncctl(["reload"])
        XCTAssertEqual(reload.status, 0, reload.stderr)
        XCTAssertTrue(daemon.waitForLog("config.reloaded connectors=1", timeout: 15), daemon.log.suffix(3000).description)
        XCTAssertFalse(daemon.log.contains("connector.stop-timeout"), "the connector did not stop in time")

        // Gone from status, JSON and human; the daemon is healthy.
        let status = try installation.status()
        let names = (status["connectors"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
        XCTAssertEqual(names, [WitnessConnector.name])
        XCTAssertEqual(status["verdict"] as? String, "ok", "\(status["verdict_reason"] ?? "")")
        XCTAssertFalse(try installation.humanStatus().contains("bulk"))

        // Its in-flight batch committed or rolled back whole, and what it committed stays, with
        // its cursor: nothing moves any more.
        let applied = try installation.count("SELECT count(*) FROM applied_records WHERE source = 'bulk'")
        XCTAssertEqual(applied % Int64(batch), 0, "a partial batch was committed")
        let cursor = Int64(try XCTUnwrap(try installation.store().connection
            .statement("SELECT cursor FROM connector_state WHERE name = 'bulk'").first()?.string(0))) ?? -1
        XCTAssertTrue(cursor == applied || cursor == applied - Int64(batch), "cursor \(cursor) for \(applied) records")
        XCTAssertEqual(try installation.count("SELECT count(*) FROM interactions WHERE source = 'bulk'"), applied)
        sleep(2)
        XCTAssertEqual(try installation.count("SELECT count(*) FROM applied_records WHERE source = 'bulk'"), applied)

        // The others go on.
        try witness.add(1)
        XCTAssertTrue(try waitUntil(timeout: 15) { try witness.applied() == 1 })
        daemon.signal(SIGTERM)
        XCTAssertEqual(daemon.waitForExit(timeout: 10), 0)
        let head = try installation.count("SELECT max(seq) FROM journal")
        XCTAssertEqual(try installation.count("SELECT count(*) FROM journal"), head, "the journal has gaps")
    }
}
