import Foundation
import Glibc
import XCTest

/// kill -9 in the middle of a stream, restart: every record applied exactly once.
final class CrashRecoveryTests: XCTestCase {
    func testKill9MidStreamThenRestartAppliesEveryRecordExactlyOnce() throws {
        let total = 100_000
        let installation = try TestInstallation()
        try installation.addGenerator("gen", count: total, stateEvery: 1000, interval: "1s")
        let first = try installation.start()
        XCTAssertTrue(try waitUntil(timeout: 120) { (try installation.connectorStatus("gen")?["applied"] as? Int ?? 0) >= 20_000 })
        first.crash()
        let appliedAtCrash = try installation.count("SELECT count(*) FROM applied_records")
        XCTAssertLessThan(appliedAtCrash, Int64(total), "the crash came too late to prove anything")

        try installation.start()
        XCTAssertTrue(try waitUntil(timeout: 300, interval: 0.5) {
            (try installation.connectorStatus("gen")?["cursor"] as? String) == String(total)
        }, installation.daemon!.log.suffix(2000).description)
        installation.daemon!.signal(SIGTERM)
        XCTAssertEqual(installation.daemon!.waitForExit(timeout: 5), 0)

        XCTAssertEqual(try installation.count("SELECT count(*) FROM customers"), Int64(total))
        XCTAssertEqual(try installation.count("SELECT count(*) FROM applied_records"), Int64(total))
        XCTAssertEqual(try installation.count("SELECT count(*) FROM interactions"), Int64(total))
        XCTAssertEqual(try installation.count("SELECT count(*) FROM journal WHERE kind = 'customer.created'"), Int64(total))
        XCTAssertEqual(try installation.count("SELECT count(*) FROM journal WHERE kind = 'interaction.recorded'"), Int64(total))
        // Gapless: seq runs 1…N with no hole.
        let head = try installation.count("SELECT max(seq) FROM journal")
        XCTAssertEqual(try installation.count("SELECT count(*) FROM journal"), head)
        XCTAssertEqual(try installation.count("SELECT min(seq) FROM journal"), 1)
    }
}
