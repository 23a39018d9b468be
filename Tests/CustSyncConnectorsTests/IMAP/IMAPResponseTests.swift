@testable import CustSyncConnectors
import CustSyncCore
import XCTest

final class IMAPResponseTests: XCTestCase {
    func testStatus() {
        let bytes = Array("* STATUS INBOX (MESSAGES 3 UIDNEXT 4 UIDVALIDITY 1700000000)\r\n".utf8)
        XCTAssertEqual(IMAPResponse.status(bytes), .init(messages: 3, uidNext: 4, uidValidity: 1_700_000_000))
        XCTAssertNil(IMAPResponse.status(Array("* OK hi\r\n".utf8)))
    }

    func testSearch() {
        XCTAssertEqual(IMAPResponse.search(Array("* SEARCH 4 5 9\r\n".utf8)), [4, 5, 9])
        XCTAssertEqual(IMAPResponse.search(Array("* SEARCH\r\n".utf8)), [])
    }

    func testFetchedLiteralKeepsBytes() {
        let message: [UInt8] = Array("From: a@b.com\r\nSubject: ".utf8) + [0xD5, 0xC5] + Array("\r\n\r\nhi\r\n".utf8)
        let bytes = Array("* 1 FETCH (UID 7 BODY[] {\(message.count)}\r\n".utf8) + message + Array(")\r\n".utf8)
        XCTAssertEqual(IMAPResponse.fetchedLiteral(bytes), message)
        XCTAssertNil(IMAPResponse.fetchedLiteral(Array("* 1 FETCH (UID 7 FLAGS ())\r\n".utf8)))
        XCTAssertNil(IMAPResponse.fetchedLiteral([]))
    }

    func testInternalDate() {
        let bytes = Array("* 1 FETCH (UID 7 INTERNALDATE \" 2-Nov-2026 18:30:00 +0800\" BODY[] {2}\r\nab)\r\n".utf8)
        XCTAssertEqual(IMAPResponse.internalDate(bytes)?.timeIntervalSince1970, 1_793_615_400)
        XCTAssertNil(IMAPResponse.internalDate(Array("* 1 FETCH (UID 7)\r\n".utf8)))
    }

    func testCursorRoundTrip() {
        let cursor = IMAPCursor(mailbox: "INBOX", uidValidity: 7, lastUID: 42)
        XCTAssertEqual(IMAPCursor(cursor.cursor), cursor)
        XCTAssertNil(IMAPCursor(Cursor("page=3")))
    }
}
