import CustSyncTestSupport
import Foundation
import Glibc
import XCTest

/// Upstream faults seen through the real daemon: for each, `syncctl status` (JSON and human)
/// names the cause in the connector's last error and shows it backing off or failing with a
/// next attempt; the `witness` exec connector goes on ingesting meanwhile; once the upstream
/// recovers, the connector catches up and its error clears. (The connector-level retry rules
/// are tested in CustSyncConnectorsTests/OrderFeed; this is about status and isolation.)
final class UpstreamFaultTests: XCTestCase {
    private static let orders = 20

    /// An installation with the `orders` feed connector (short timeouts and backoff) and the
    /// witness, started and synced once.
    private func started(feedURL: String, feedExtra: String = "") throws -> (TestInstallation, WitnessConnector) {
        let installation = try TestInstallation()
        try addOrders(installation, url: feedURL, extra: feedExtra)
        let witness = try WitnessConnector(in: installation)
        try witness.add(1)
        try installation.start()
        return (installation, witness)
    }

    private func addOrders(_ installation: TestInstallation, url: String, extra: String = "") throws {
        try installation.addConnector("orders", """
            [Connector]
            Name=orders
            Kind=order-feed
            Interval=1s
            Timeout=5s
            Backoff=1s
            BackoffMax=2s

            [Feed]
            URL=\(url)
            Format=json-object
            UpdatedSinceParameter=updated_since
            AfterIDParameter=after_id
            ConnectTimeout=1s
            PageTimeout=1s
            Retries=1
            RetryDelay=100ms
            \(extra)

            [Mapping]
            id=order_id
            customer.id=customer_id
            customer.name=name
            customer.email=email
            created_at=ordered_at
            """)
    }

    /// Waits for `connector` to have applied `count` records with a clean status.
    private func waitHealthy(_ installation: TestInstallation, _ connector: String = "orders", applied count: Int,
                             file: StaticString = #filePath, line: UInt = #line) throws {
        var status: [String: Any] = [:]
        let healthy = try waitUntil(timeout: 30) {
            status = try installation.connectorStatus(connector) ?? [:]
            return status["applied"] as? Int == count && status["last_error"] == nil && status["state"] as? String == "idle"
        }
        XCTAssertTrue(healthy, "\(status)\n\(installation.daemon?.log.suffix(3000) ?? "")", file: file, line: line)
    }

    /// Waits for the fault to show on `connector`, checks what status says about it (JSON and
    /// human: every piece of `cause`, the state, the next attempt, the verdict), and that the
    /// witness still ingests.
    private func checkFaultShows(_ installation: TestInstallation, witness: WitnessConnector, connector: String = "orders",
                                 cause: [String], states: Set<String> = ["backing-off", "failing"],
                                 file: StaticString = #filePath, line: UInt = #line) throws {
        var status: [String: Any] = [:]
        let shown = try waitUntil(timeout: 30) {
            status = try installation.connectorStatus(connector) ?? [:]
            return states.contains(status["state"] as? String ?? "") && status["last_error"] != nil
        }
        XCTAssertTrue(shown, "\(status)\n\(installation.daemon?.log.suffix(3000) ?? "")", file: file, line: line)
        let error = status["last_error"] as? String ?? ""
        for piece in cause { XCTAssertTrue(error.contains(piece), "last_error lacks \"\(piece)\": \(error)", file: file, line: line) }
        XCTAssertNotNil(status["next_poll"], "a failing connector says when it tries again: \(status)", file: file, line: line)
        XCTAssertNotNil(status["last_error_at"], file: file, line: line)
        XCTAssertGreaterThan(status["consecutive_failures"] as? Int ?? 0, 0, "\(status)", file: file, line: line)
        try Shape.check(status, Shape.connector, file: file, line: line)

        let report = try installation.status()
        XCTAssertTrue(["degraded", "failing"].contains(report["verdict"] as? String ?? ""), "\(report["verdict_reason"] ?? "")",
                      file: file, line: line)
        XCTAssertTrue((report["verdict_reason"] as? String ?? "").contains(connector), "\(report["verdict_reason"] ?? "")",
                      file: file, line: line)
        XCTAssertEqual((report["store_health"] as? [String: Any])?["state"] as? String, "ok", file: file, line: line)

        // A person reading `syncctl status` sees the whole cause: the error wraps, it is not cut.
        let human = try installation.humanStatus()
        let flat = human.filter { !$0.isWhitespace }
        for piece in cause {
            XCTAssertTrue(flat.contains(piece.filter { !$0.isWhitespace }), "human status lacks \"\(piece)\":\n\(human)",
                          file: file, line: line)
        }
        XCTAssertTrue(human.contains("\(connector) last error"), human, file: file, line: line)
        for row in human.split(separator: "\n") {
            XCTAssertLessThanOrEqual(Shape.displayWidth(String(row)), 80, "\(row)", file: file, line: line)
        }

        // The other connectors carry on.
        let before = try witness.applied()
        try witness.add(before + 1)
        XCTAssertTrue(try waitUntil(timeout: 15) { try witness.applied() == before + 1 },
                      "the witness stalled while \(connector) failed", file: file, line: line)
        XCTAssertNotEqual(try installation.connectorStatus(WitnessConnector.name)?["state"] as? String, "failing", file: file, line: line)
    }

    // MARK: the faults

    func testFeedDownConnectionRefused() throws {
        var server = try FeedServer(["--orders", String(Self.orders)])
        let port = server.port
        let (installation, witness) = try started(feedURL: server.url())
        try waitHealthy(installation, applied: Self.orders)
        server.stop()
        try checkFaultShows(installation, witness: witness, cause: ["connection refused by 127.0.0.1:\(port)"])

        server = try FeedServer(["--port", String(port), "--orders", String(Self.orders + 5)])
        try waitHealthy(installation, applied: Self.orders + 5)
        XCTAssertEqual(try installation.status()["verdict"] as? String, "ok")
    }

    func testFeedResettingConnections() throws {
        let server = try FeedServer(["--orders", String(Self.orders)])
        let (installation, witness) = try started(feedURL: server.url())
        try waitHealthy(installation, applied: Self.orders)
        try server.control("fault?kind=reset&count=100000")
        try server.control("add?count=5")
        try checkFaultShows(installation, witness: witness, cause: ["connection reset by 127.0.0.1:\(server.port)"])

        try server.control("clear")
        try waitHealthy(installation, applied: Self.orders + 5)
    }

    func testFeedAnswering500() throws {
        let server = try FeedServer(["--orders", String(Self.orders)])
        let (installation, witness) = try started(feedURL: server.url())
        try waitHealthy(installation, applied: Self.orders)
        try server.control("fault?kind=500&count=100000")
        try server.control("add?count=5")
        try checkFaultShows(installation, witness: witness, cause: ["HTTP 500 from http://127.0.0.1:\(server.port)/orders", "gave up after 2 attempts"])
        // Three failed polls in a row: failing, not a passing hiccup.
        XCTAssertTrue(try waitUntil(timeout: 30) { try installation.connectorStatus("orders")?["state"] as? String == "failing" })
        XCTAssertEqual(try installation.status()["verdict"] as? String, "failing")

        try server.control("clear")
        try waitHealthy(installation, applied: Self.orders + 5)
    }

    func testFeedAnswering429WithRetryAfter() throws {
        let server = try FeedServer(["--orders", String(Self.orders)])
        let (installation, witness) = try started(feedURL: server.url())
        try waitHealthy(installation, applied: Self.orders)
        try server.control("fault?kind=429&count=100000&retry_after=1")
        try server.control("add?count=5")
        try checkFaultShows(installation, witness: witness, cause: ["HTTP 429 from http://127.0.0.1:\(server.port)/orders", "(Retry-After: 1s)"])
        XCTAssertEqual(try server.stat("too_early"), 0, "the daemon asked again before Retry-After had passed")

        try server.control("clear")
        try waitHealthy(installation, applied: Self.orders + 5)
        XCTAssertEqual(try server.stat("too_early"), 0)
    }

    func testFeedAnsweringSlowerThanTheTimeout() throws {
        let server = try FeedServer(["--orders", String(Self.orders)])
        let (installation, witness) = try started(feedURL: server.url())
        try waitHealthy(installation, applied: Self.orders)
        try server.control("fault?kind=slow&delay=3&count=100000")
        try server.control("add?count=5")
        try checkFaultShows(installation, witness: witness, cause: ["timed out on http://127.0.0.1:\(server.port)/orders", "PageTimeout="])

        try server.control("clear")
        try waitHealthy(installation, applied: Self.orders + 5)
    }

    func testFeedCertificateFromAnotherCA() throws {
        let authority = try TestCertificateAuthority(), stranger = try TestCertificateAuthority()
        let server = try FeedServer(["--orders", String(Self.orders)], tls: authority)
        let (installation, witness) = try started(feedURL: server.url(), feedExtra: "CAFile=\(stranger.caCertificate)")
        try checkFaultShows(installation, witness: witness,
                            cause: ["TLS certificate not accepted for https://127.0.0.1:\(server.port)/orders", "set CAFile="],
                            states: ["failing"])
        XCTAssertEqual(try installation.count("SELECT count(*) FROM interactions"), 0, "nothing is read without verification")

        try addOrders(installation, url: server.url(), extra: "CAFile=\(authority.caCertificate)")
        XCTAssertEqual(try installation.syncctl(["reload"]).status, 0)
        try waitHealthy(installation, applied: Self.orders)
    }

    func testFeedCertificateExpired() throws {
        let authority = try TestCertificateAuthority()
        let expired = try authority.expiredServerCertificate()
        var server = try FeedServer(["--orders", String(Self.orders), "--tls-cert", expired, "--tls-key", authority.serverKey])
        let port = server.port
        let url = "https://127.0.0.1:\(port)/orders"
        let (installation, witness) = try started(feedURL: url, feedExtra: "CAFile=\(authority.caCertificate)")
        try checkFaultShows(installation, witness: witness,
                            cause: ["TLS certificate not accepted for \(url)", "certificate has expired", "renew it on the server"],
                            states: ["failing"])

        // The server gets a valid certificate; nothing changes on the daemon's side.
        server.stop()
        server = try FeedServer(["--port", String(port), "--orders", String(Self.orders)], tls: authority)
        try waitHealthy(installation, applied: Self.orders)
    }

    func testIMAPLoginRefused() throws {
        let dovecot = try DovecotServer()
        try dovecot.deliver(Array("""
            From: Wang Fang <wang.fang@example.com>\r
            To: support@shop.example\r
            Subject: order question\r
            Message-ID: <fault-1@example.com>\r
            Date: Tue, 14 Nov 2023 10:00:00 +0000\r
            \r
            Where is my order?\r

            """.utf8))
        try dovecot.start()
        let installation = try TestInstallation()
        let credential = installation.root.file("mail.credential")
        try "\(DovecotServer.user):not-the-password\n".write(toFile: credential, atomically: true, encoding: .utf8)
        chmod(credential, 0o600)
        try installation.addConnector("mail", """
            [Connector]
            Name=mail
            Kind=imap
            Interval=1s
            Backoff=1s
            BackoffMax=2s

            [IMAP]
            Server=\(dovecot.url)
            Credential=\(credential)
            CAFile=\(dovecot.certificates.caCertificate)
            InternalDomains=shop.example
            """)
        let witness = try WitnessConnector(in: installation)
        try installation.start()
        try checkFaultShows(installation, witness: witness, connector: "mail",
                            cause: ["refused the login of user \(DovecotServer.user) at \(dovecot.url)", credential],
                            states: ["failing"])
        XCTAssertFalse(try installation.humanStatus().contains("not-the-password"), "a password never shows")
        XCTAssertFalse(installation.daemon?.log.contains("not-the-password") ?? true, "a password is never logged")

        try "\(DovecotServer.user):\(DovecotServer.password)\n".write(toFile: credential, atomically: true, encoding: .utf8)
        chmod(credential, 0o600)
        try waitHealthy(installation, "mail", applied: 1)
    }
}
