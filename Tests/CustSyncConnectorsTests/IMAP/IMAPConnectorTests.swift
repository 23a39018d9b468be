@testable import CustSyncConnectors
import CustSyncCore
import CustSyncTestSupport
import Foundation
import XCTest

/// The `imap` connector against a real dovecot on 127.0.0.1, applied through a real store.
final class IMAPConnectorTests: XCTestCase {
    private static func message(_ lines: [String]) -> [UInt8] { Array(lines.joined(separator: "\r\n").utf8) }

    private let customerUTF8 = message([
        "From: \"=?UTF-8?B?5byg5Lyf?=\" <zw@example.com>", "To: sales@shop.example",
        "Subject: =?UTF-8?B?6K6i5Y2V6Zeu6aKY?=", "Date: Sun, 22 Nov 2026 18:30:00 +0800",
        "Message-ID: <m1@example.com>", "Content-Type: text/plain; charset=utf-8", "", "hello", ""])
    private let customerGBK = message([
        "From: =?GBK?B?1cXOsA==?= <li@example.cn>", "To: sales@shop.example",
        "Subject: =?GB2312?B?v827p9fJ0a8=?=", "Date: 22 Nov 26 10:30 GMT", "Message-ID: <m2@example.cn>",
        "MIME-Version: 1.0", "Content-Type: multipart/alternative; boundary=b", "",
        "--b", "Content-Type: text/plain; charset=GB18030", "Content-Transfer-Encoding: base64", "",
        "xPq6w6OsztLP67Lp0a+2qbWlIDEyMzQ1ILXEzu/B96Gj", "--b--", ""])
    private let broken = message(["From: x@example.com", "this is not a header", "", "body", ""])
    private let autoReply = message(["From: ooo@example.com", "Auto-Submitted: auto-replied", "Message-ID: <m3@x>", "", "away", ""])
    private let bounce = message(["From: MAILER-DAEMON@mx.example.com", "Message-ID: <m4@x>", "", "failed", ""])
    private let later = message(["From: wang@example.com", "Subject: later", "Message-ID: <m5@example.com>", "", "new", ""])

    private func connector(_ server: DovecotServer, credential: String,
                           maxMessageSize: Int = IMAPSettings.defaultMaxMessageSize) throws -> IMAPConnector {
        let file = server.directory + "/credential-\(UUID().uuidString)"
        try credential.write(toFile: file, atomically: true, encoding: .utf8)
        chmod(file, 0o600)
        let settings = IMAPSettings(server: server.url, credential: .file(file), caFile: server.certificates.caCertificate,
                                    internalDomains: ["shop.example"], maxMessageSize: maxMessageSize, timeout: 20)
        return IMAPConnector(name: "mail", settings: settings)
    }

    private func poll(_ connector: IMAPConnector, _ store: FeedTestStore, batchSize: Int = 2) throws {
        let cursor = try store.writer.perform { try $0.cursor(for: connector.name) }
        let context = PollContext(connector: connector.name, deadline: Date().addingTimeInterval(60),
                                  batchSize: batchSize) { [writer = store.writer] batch in try writer.apply(batch) }
        try connector.poll(from: cursor, context: context)
    }

    func testMailboxIsReadIncrementallyAndSurvivesUIDValidityReset() throws {
        let server = try DovecotServer()
        for m in [customerUTF8, customerGBK, broken, autoReply, bounce] { try server.deliver(m) }
        try server.start()
        let store = try FeedTestStore()
        let imap = try connector(server, credential: "\(DovecotServer.user):\(DovecotServer.password)\n")

        try poll(imap, store)
        XCTAssertEqual(try store.count("SELECT count(*) FROM interactions WHERE kind = 'email'"), 2)
        XCTAssertEqual(try store.strings("SELECT summary FROM interactions ORDER BY source_key"), ["订单问题", "客户咨询"])
        XCTAssertEqual(try store.strings("SELECT source_key FROM interactions ORDER BY source_key"), ["m1@example.com", "m2@example.cn"])
        let quarantined = try store.strings("SELECT origin || ': ' || reason FROM quarantine")
        XCTAssertEqual(quarantined.count, 1, "\(quarantined)")
        XCTAssertTrue(try store.strings("SELECT reason FROM quarantine").first?.contains("broken header") == true)
        let names = try store.strings("SELECT value FROM field_values WHERE field = 'name' ORDER BY value")
        XCTAssertEqual(Set(names), ["张伟"])
        XCTAssertTrue(try store.strings("SELECT details FROM interactions WHERE source_key = 'm2@example.cn'")
            .first?.contains("您好，我想查询订单 12345 的物流。") == true)

        // Nothing new: nothing changes. New mail between polls: only it is read.
        try poll(imap, store)
        XCTAssertEqual(try store.count("SELECT count(*) FROM interactions"), 2)
        try server.deliver(later)
        try poll(imap, store)
        XCTAssertEqual(try store.count("SELECT count(*) FROM interactions"), 3)
        XCTAssertEqual(try store.count("SELECT count(*) FROM quarantine"), 1)

        // A new UIDVALIDITY: everything is read again, nothing is recorded twice.
        let journalBefore = try store.count("SELECT count(*) FROM journal WHERE kind = 'interaction.recorded'")
        let journalAllBefore = try store.count("SELECT count(*) FROM journal WHERE kind LIKE 'interaction.%' OR kind LIKE 'field.%' OR kind LIKE 'customer.%'")
        try server.resetUIDValidity()
        try poll(imap, store)
        XCTAssertEqual(try store.count("SELECT count(*) FROM interactions"), 3)
        XCTAssertEqual(try store.count("SELECT count(*) FROM journal WHERE kind = 'interaction.recorded'"), journalBefore)
        XCTAssertEqual(try store.count("SELECT count(*) FROM journal WHERE kind LIKE 'interaction.%' OR kind LIKE 'field.%' OR kind LIKE 'customer.%'"),
                       journalAllBefore)
        XCTAssertEqual(try store.count("SELECT count(*) FROM customers"), 3)
    }

    func testOversizedMessageIsRecordedFromItsHeaders() throws {
        let server = try DovecotServer()
        try server.deliver(Self.message(["From: big@example.com", "Subject: attachment", "Message-ID: <big@example.com>", "",
                                         String(repeating: "0123456789abcdef\r\n", count: 1000), ""]))
        try server.deliver(later)
        try server.start()
        let store = try FeedTestStore()
        let imap = try connector(server, credential: "\(DovecotServer.user):\(DovecotServer.password)\n", maxMessageSize: 4000)
        try poll(imap, store)
        XCTAssertEqual(try store.count("SELECT count(*) FROM interactions"), 2)
        let details = try store.strings("SELECT details FROM interactions WHERE source_key = 'big@example.com'").first ?? ""
        XCTAssertTrue(details.contains("headers only"), details)
        XCTAssertFalse(details.contains("0123456789abcdef"), details)
    }

    func testWrongPasswordIsAClearPermanentError() throws {
        let server = try DovecotServer()
        try server.start()
        let store = try FeedTestStore()
        let imap = try connector(server, credential: "\(DovecotServer.user):wrong\n")
        XCTAssertThrowsError(try poll(imap, store)) { error in
            let failure = error as? ConnectorError
            XCTAssertEqual(failure?.isPermanent, true)
            XCTAssertTrue(failure?.message.contains("refused the login of user shop") == true, "\(error)")
            XCTAssertFalse("\(error)".contains("wrong"))
        }
    }
}
