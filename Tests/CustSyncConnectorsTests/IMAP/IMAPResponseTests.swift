@testable import CustSyncConnectors
import CustSyncCore
import XCTest

final class IMAPResponseTests: XCTestCase {
    private func bytes(_ lines: [String]) -> [UInt8] { Array(lines.joined(separator: "\r\n").utf8) + [0x0D, 0x0A] }

    func testMailboxStatusFromExamine() {
        let response = bytes(["* FLAGS (\\Seen)", "* 3 EXISTS", "* OK [UIDVALIDITY 1700000000] UIDs valid",
                              "* OK [UIDNEXT 4] Predicted next UID", "A003 OK [READ-ONLY] Examine completed"])
        XCTAssertEqual(IMAPResponse.mailboxStatus(response), .init(uidValidity: 1_700_000_000, uidNext: 4, readOnly: true))
        XCTAssertEqual(IMAPResponse.mailboxStatus(bytes(["A003 OK [READ-WRITE] Select completed"])),
                       .init(uidValidity: nil, uidNext: nil, readOnly: false))
    }

    func testCapabilities() {
        let response = bytes(["* CAPABILITY IMAP4rev1 LITERAL+ uidplus MOVE", "A004 OK Capability completed."])
        XCTAssertEqual(IMAPResponse.capabilities(response), ["IMAP4REV1", "LITERAL+", "UIDPLUS", "MOVE"])
        XCTAssertEqual(IMAPResponse.capabilities(bytes(["A004 OK"])), [])
    }

    func testFetchResponsesHonourLiteralLengths() throws {
        // The first message contains a line that looks like a FETCH response: it is message text.
        let first: [UInt8] = Array("From: a@b.com\r\nSubject: ".utf8) + [0xD5, 0xC5] + Array("\r\n\r\n* 9 FETCH (UID 99 BODY[] {2}\r\n".utf8)
        let second = Array("From: c@d.com\r\n\r\nhi\r\n".utf8)
        let response = Array("A003 OK [READ-ONLY] done\r\n* 1 FETCH (UID 7 BODY[] {\(first.count)}\r\n".utf8) + first
            + Array(")\r\n* 2 fetch (FLAGS (\\Seen))\r\n* 3 FETCH (BODY[HEADER]<0> {\(second.count)}\r\n".utf8) + second
            + Array(" UID 8)\r\nA004 OK Fetch completed.\r\n".utf8)
        let messages = try IMAPFetchResponse.messages(in: response)
        XCTAssertEqual(messages, [IMAPFetchedMessage(uid: 7, section: first), IMAPFetchedMessage(uid: 8, section: second)])
    }

    func testListingItems() throws {
        let response = bytes(["* 1 FETCH (UID 41 RFC822.SIZE 2048 INTERNALDATE \" 2-Nov-2026 18:30:00 +0800\")",
                              "* 2 FETCH (UID 43 RFC822.SIZE 20971520 INTERNALDATE \"22-Nov-2026 10:30:00 +0000\")",
                              "A005 OK done"])
        let messages = try IMAPFetchResponse.messages(in: response)
        XCTAssertEqual(messages.map(\.uid), [41, 43])
        XCTAssertEqual(messages.map(\.size), [2048, 20_971_520])
        XCTAssertEqual(messages.first?.internalDate?.timeIntervalSince1970, 1_793_615_400)
    }

    func testMalformedResponsesAreRefused() {
        // A line cut short: the literal announces more than arrived before the next response.
        let cut = Array("* 1 FETCH (UID 7 BODY[] {40}\r\nFrom: a@b.com\r\n\r\nxx)\r\n* 2 FETCH (UID 8 BODY[] {5}\r\nhello)\r\nA4 OK\r\n".utf8)
        XCTAssertThrowsError(try IMAPFetchResponse.messages(in: cut))
        let short = Array("* 1 FETCH (UID 7 BODY[] {400}\r\nFrom: a@b.com\r\n".utf8)
        XCTAssertThrowsError(try IMAPFetchResponse.messages(in: short))
        XCTAssertEqual(try IMAPFetchResponse.messages(in: []), [])
    }

    func testFramerEndsAtTheTaggedLineOutsideLiterals() {
        let message = Array("From: a@b.com\r\n\r\n* 9 FETCH (UID 1)\r\nC7 OK looks tagged\r\n".utf8)
        let response = Array("* 1 FETCH (UID 7 BODY[] {\(message.count)}\r\n".utf8) + message + Array(")\r\nC7 OK done\r\n".utf8)
        var framer = IMAPResponseFramer(tag: "C7")
        // Fed as it arrives, a few bytes at a time: no end until the real tagged line is complete.
        var received: [UInt8] = []
        var frame: IMAPResponseFramer.Frame?
        for byte in response {
            XCTAssertNil(frame)
            received.append(byte)
            frame = framer.frame(in: received)
        }
        let tagged = response.count - "C7 OK done\r\n".utf8.count
        XCTAssertEqual(frame, IMAPResponseFramer.Frame(end: response.count, taggedLine: tagged))

        var other = IMAPResponseFramer(tag: "C7")
        XCTAssertNil(other.frame(in: Array("C71 OK not ours\r\n* OK [ALERT] {2+}\r\nhi\r\n".utf8)))
    }

    func testCursorRoundTripAndPendingAcknowledgement() {
        let cursor = IMAPCursor(mailbox: "INBOX", uidValidity: 7, lastUID: 42, acknowledgedUID: 40)
        XCTAssertEqual(IMAPCursor(cursor.cursor), cursor)
        XCTAssertEqual(cursor.pendingAcknowledgement, 41...42)
        XCTAssertNil(IMAPCursor(mailbox: "INBOX", uidValidity: 7, lastUID: 42).pendingAcknowledgement)
        // Cursors stored before acknowledgement existed have nothing pending.
        let legacy = IMAPCursor(Cursor("{\"lastUID\":42,\"mailbox\":\"INBOX\",\"uidValidity\":7}"))
        XCTAssertEqual(legacy?.acknowledgedUID, 42)
        XCTAssertNil(IMAPCursor(Cursor("page=3")))
    }

    func testMailboxNamesInModifiedUTF7() {
        XCTAssertEqual(IMAPMailboxName.quoted("INBOX"), "\"INBOX\"")
        XCTAssertEqual(IMAPMailboxName.modifiedUTF7("已处理"), "&XfJZBHQG-")
        XCTAssertEqual(IMAPMailboxName.modifiedUTF7("Tom & Jerry"), "Tom &- Jerry")
        XCTAssertEqual(IMAPMailboxName.modifiedUTF7("~peter/mail/台北/日本語"), "~peter/mail/&U,BTFw-/&ZeVnLIqe-")
        XCTAssertEqual(IMAPMailboxName.quoted("a\\b"), "\"a\\\\b\"")
    }

    func testFetchPlan() {
        XCTAssertEqual(IMAPMessageReader.sequenceSet([1, 2, 3, 4, 7, 9, 10]), "1:4,7,9:10")
        XCTAssertEqual(IMAPMessageReader.sequenceSet([5]), "5")
        let part = IMAPMessageReader.groupBytes - IMAPMessageReader.perMessageOverhead
        let listed: [(uid: UInt32, size: Int)] = [(1, part / 2), (2, part / 2), (3, part), (4, 100), (5, 50)]
        XCTAssertEqual(IMAPMessageReader.groups(listed).map { $0.map(\.uid) }, [[1], [2], [3], [4, 5]])
        XCTAssertEqual(IMAPMessageReader.groups([(1, 10), (2, part / 2), (3, part / 2)]).map { $0.map(\.uid) }, [[1, 2], [3]])
    }
}
