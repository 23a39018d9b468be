import XCTest
@testable import CustSyncCore

final class MailRecordMapperTests: XCTestCase {
    private let mapper = MailRecordMapper(internalDomains: ["Shop.Example"])
    private let received = Date(timeIntervalSince1970: 1_000)

    func testCustomerMailBecomesRecordWithInteraction() throws {
        guard case let .record(record) = mapper.item(parsing: MailFixtures.plainUTF8, origin: "INBOX UID 1", receivedAt: received) else {
            return XCTFail("expected a record")
        }
        XCTAssertEqual(record.key, "zw@example.com")
        XCTAssertEqual(record.fields, [.email: "zw@example.com", .name: "张伟"])
        XCTAssertEqual(record.origin, "INBOX UID 1")
        let interaction = try XCTUnwrap(record.interaction)
        XCTAssertEqual(interaction.kind, .email)
        XCTAssertEqual(interaction.key, "abc.123@example.com")
        XCTAssertEqual(interaction.summary, "订单问题 #12345")
        XCTAssertEqual(interaction.occurredAt.timeIntervalSince1970, 1_795_343_400)
        XCTAssertEqual(interaction.details["to"], "support@shop.example, sales@shop.example")
        XCTAssertEqual(interaction.details["snippet"], "您好， my order has not arrived.")
        XCTAssertNotNil(interaction.details["date"])
        XCTAssertNil(interaction.details["note"])
    }

    func testKeysDoNotDependOnOriginOrUID() {
        let a = mapper.item(parsing: MailFixtures.noMessageID, origin: "INBOX UIDVALIDITY 1 UID 7", receivedAt: received)
        let b = mapper.item(parsing: MailFixtures.noMessageID, origin: "INBOX UIDVALIDITY 2 UID 1", receivedAt: received)
        guard case let .record(ra) = a, case let .record(rb) = b else { return XCTFail("expected records") }
        XCTAssertEqual(ra.key, rb.key)
        XCTAssertEqual(ra.interaction, rb.interaction)
        XCTAssertTrue(ra.interaction?.key.hasPrefix("sha256:") == true)
        XCTAssertEqual(ra.interaction?.occurredAt, received)
    }

    /// Tests/Fuzz/regressions/mail: the year overflowed the day count and trapped.
    func testUnreadableDateYearFallsBackToReceivedTime() throws {
        let message = Array("From: a@b.example\nDate: 1 Jan 99999999999999 00:00\n\nx\n".utf8)
        guard case let .record(record) = mapper.item(parsing: message, origin: "o", receivedAt: received) else {
            return XCTFail("expected a record")
        }
        XCTAssertEqual(record.observedAt, received)
        XCTAssertEqual(record.interaction?.occurredAt, received)
        XCTAssertNil(record.interaction?.details["date"])
    }

    func testHeadersOnlyIsNoted() {
        let headerEnd = MailFixtures.noMessageID.count - "hello".utf8.count
        let item = mapper.item(parsing: Array(MailFixtures.noMessageID[0..<headerEnd]), origin: "o", receivedAt: received,
                               headersOnly: true)
        guard case let .record(record) = item else { return XCTFail("expected a record") }
        XCTAssertNotNil(record.interaction?.details["note"])
        XCTAssertNil(record.interaction?.details["snippet"])
    }

    func testSkipsAndRejectionsTable() {
        let cases: [(bytes: [UInt8], skipped: String?, rejected: String?, line: UInt)] = [
            (MailFixtures.internalSender, "internal sender (sales.shop.example)", nil, #line),
            (MailFixtures.autoReply, "auto-reply (Auto-Submitted: auto-replied)", nil, #line),
            (MailFixtures.bulk, "bulk or automatic mail (Precedence: bulk)", nil, #line),
            (MailFixtures.bounce, "bounce (from MAILER-DAEMON@mx.example.com)", nil, #line),
            (MailFixtures.brokenHeaders, nil,
             "broken header at line 2: \"This line is not a header\" is not a \"Name: value\" field", #line),
        ]
        for c in cases {
            switch mapper.item(parsing: c.bytes, origin: "INBOX UID 9", receivedAt: received) {
            case let .skipped(origin, reason):
                XCTAssertEqual(origin, "INBOX UID 9", line: c.line)
                XCTAssertEqual(reason, c.skipped, line: c.line)
                XCTAssertNil(c.rejected, line: c.line)
            case let .rejected(rejection):
                XCTAssertEqual(rejection.reason, c.rejected, line: c.line)
                XCTAssertEqual(rejection.origin, "INBOX UID 9", line: c.line)
                XCTAssertFalse(rejection.raw.contains("body"), line: c.line)
                XCTAssertNil(c.skipped, line: c.line)
            case .record:
                XCTFail("expected a skip or a rejection", line: c.line)
            }
        }
    }

    func testUnknownSenderWithoutDisplayNameHasOnlyEmail() {
        guard case let .record(record) = mapper.item(parsing: MailFixtures.noMessageID, origin: "o", receivedAt: received) else {
            return XCTFail("expected a record")
        }
        XCTAssertEqual(record.fields, [.email: "wang@example.com"])
    }
}
