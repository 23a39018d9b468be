import CustSyncTestSupport
import Foundation
import Glibc
import XCTest

/// The order-feed connector in the real daemon against the real loopback feed server
/// (`Tests/Fixtures/feed-server.py`): kill -9 mid-pagination, restart, exactly once; a
/// certificate error as `syncctl status` shows it.
final class OrderFeedTests: XCTestCase {
    private func addOrders(_ installation: TestInstallation, url: String, extra: String = "") throws {
        try installation.addConnector("orders", """
            [Connector]
            Name=orders
            Kind=order-feed
            Interval=1s
            Backoff=1s
            BatchSize=100

            [Feed]
            URL=\(url)
            Format=json-object
            UpdatedSinceParameter=updated_since
            AfterIDParameter=after_id
            RetryDelay=100ms
            \(extra)

            [Mapping]
            id=order_id
            customer.id=customer_id
            customer.name=name
            customer.email=email
            customer.phone=phone
            created_at=ordered_at
            """)
    }

    func testKill9MidPaginationThenRestartCommitsEveryOrderExactlyOnce() throws {
        let total = 5000
        // 100 pages, each held back a little, so the walk is still going when the daemon dies.
        let server = try FeedServer(["--orders", String(total), "--page-size", "50", "--customers", "400",
                                     "--page-delay", "0.05"])
        let installation = try TestInstallation()
        try addOrders(installation, url: "http://127.0.0.1:\(server.port)/orders")
        let first = try installation.start()
        XCTAssertTrue(try waitUntil(timeout: 120) {
            let status = try installation.connectorStatus("orders")
            return (status?["applied"] as? Int ?? 0) >= 1000 && (status?["cursor"] as? String ?? "").contains("\"next\"")
        }, first.log.suffix(2000).description)
        first.crash()
        let atCrash = try installation.count("SELECT count(*) FROM interactions")
        XCTAssertLessThan(atCrash, Int64(total), "the crash came after the walk ended and proves nothing")

        let second = try installation.start()
        XCTAssertTrue(try waitUntil(timeout: 180, interval: 0.25) {
            let cursor = try installation.connectorStatus("orders")?["cursor"] as? String ?? ""
            return try installation.count("SELECT count(*) FROM interactions") == Int64(total) && !cursor.contains("\"next\"")
        }, second.log.suffix(2000).description)

        // A status change between polls updates the order's interaction in place.
        try server.control("status?id=O-00042&status=refunded")
        XCTAssertTrue(try waitUntil(timeout: 60) {
            try installation.store().connection.statement("SELECT status FROM interactions WHERE source_key = 'O-00042'")
                .first()?.string(0) == "refunded"
        }, second.log.suffix(2000).description)
        second.signal(SIGTERM)
        XCTAssertEqual(second.waitForExit(timeout: 10), 0)

        XCTAssertEqual(try installation.count("SELECT count(*) FROM interactions"), Int64(total))
        XCTAssertEqual(try installation.count("SELECT count(DISTINCT source_key) FROM interactions"), Int64(total))
        XCTAssertEqual(try installation.count("SELECT count(*) FROM journal WHERE kind = 'interaction.recorded'"), Int64(total),
                       "every order recorded exactly once")
        XCTAssertEqual(try installation.count("SELECT count(*) FROM journal WHERE kind = 'interaction.updated'"), 1)
        XCTAssertEqual(try installation.count("SELECT count(*) FROM customers"), 400)
        XCTAssertEqual(try installation.count("SELECT count(*) FROM quarantine"), 0)
        let head = try installation.count("SELECT max(seq) FROM journal")
        XCTAssertEqual(try installation.count("SELECT count(*) FROM journal"), head, "the journal has no gaps")
    }

    func testAnUntrustedCertificateIsAClearErrorInStatusUntilCAFileIsSet() throws {
        let installation = try TestInstallation()
        let certificate = installation.root.file("feed.pem"), key = installation.root.file("feed.key")
        let made = try CommandResult.run("/usr/bin/env", [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
            "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", key, "-out", certificate,
        ])
        guard made.status == 0 else { throw XCTSkip("openssl failed: \(made.stderr)") }
        let server = try FeedServer(["--orders", "30", "--tls-cert", certificate, "--tls-key", key])
        let url = "https://127.0.0.1:\(server.port)/orders"
        try addOrders(installation, url: url)
        let daemon = try installation.start()

        var status: [String: Any] = [:]
        XCTAssertTrue(try waitUntil(timeout: 30) {
            status = try installation.connectorStatus("orders") ?? [:]
            return status["last_error"] != nil
        }, daemon.log.suffix(2000).description)
        let error = status["last_error"] as? String ?? ""
        XCTAssertTrue(error.contains("TLS certificate not accepted"), error)
        XCTAssertTrue(error.contains("CAFile="), error)
        XCTAssertEqual(status["state"] as? String, "failing", "a certificate error is permanent, not a passing hiccup")
        XCTAssertEqual(try installation.count("SELECT count(*) FROM interactions"), 0)

        try addOrders(installation, url: url, extra: "CAFile=\(certificate)")
        daemon.signal(SIGHUP)
        XCTAssertTrue(try waitUntil(timeout: 60) {
            try installation.count("SELECT count(*) FROM interactions") == 30
        }, daemon.log.suffix(2000).description)
        daemon.signal(SIGTERM)
        XCTAssertEqual(daemon.waitForExit(timeout: 10), 0)
    }
}
