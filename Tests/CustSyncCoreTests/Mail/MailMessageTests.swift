import XCTest
@testable import CustSyncCore

final class MailMessageTests: XCTestCase {
    func testPlainUTF8Message() throws {
        let m = try MailMessage(parsing: MailFixtures.plainUTF8)
        XCTAssertEqual(m.from, MailAddress(address: "ZW@Example.com", displayName: "张伟"))
        XCTAssertEqual(m.to.map(\.address), ["support@shop.example", "sales@shop.example"])
        XCTAssertEqual(m.to.last?.displayName, "张伟")
        XCTAssertEqual(m.subject, "订单问题 #12345")
        XCTAssertEqual(m.date?.timeIntervalSince1970, 1_795_343_400)
        XCTAssertEqual(m.messageID, "abc.123@example.com")
        XCTAssertNil(m.automation)
        XCTAssertEqual(m.snippet, "您好， my order has not arrived.")
    }

    func testNestedMultipartPrefersPlainInGB18030() throws {
        let m = try MailMessage(parsing: MailFixtures.multipartGB18030)
        XCTAssertEqual(m.from.displayName, "张伟")
        XCTAssertEqual(m.subject, "客户咨询")
        XCTAssertEqual(m.date?.timeIntervalSince1970, 1_795_343_400)
        XCTAssertEqual(m.snippet, "您好，我想查询订单 12345 的物流。")
        XCTAssertNil(m.messageID)
    }

    func testHTMLOnlyIsStrippedOfTags() throws {
        let m = try MailMessage(parsing: MailFixtures.htmlOnly)
        XCTAssertEqual(m.subject, "陳先生")
        XCTAssertEqual(m.snippet, "Hello & welcome 你好")
    }

    func testSnippetIsBounded() throws {
        let body = String(repeating: "字", count: 2000)
        let m = try MailMessage(parsing: MailFixtures.bytes(["From: a@b.com", "Content-Type: text/plain; charset=utf-8", "", body]),
                                snippetLength: 500)
        XCTAssertEqual(m.snippet.count, 500)
    }

    func testHeadersOnlyHasEmptySnippetAndSameHeaderHash() throws {
        let full = try MailMessage(parsing: MailFixtures.noMessageID)
        let headerEnd = MailFixtures.noMessageID.count - "hello".utf8.count
        let headersOnly = try MailMessage(parsing: Array(MailFixtures.noMessageID[0..<headerEnd]))
        XCTAssertEqual(headersOnly.snippet, "")
        XCTAssertEqual(full.headerHash, headersOnly.headerHash)
    }

    func testRawEightBitGBKHeaders() throws {
        let m = try MailMessage(parsing: MailFixtures.rawGBKHeader)
        XCTAssertEqual(m.from.displayName, "张伟")
        XCTAssertEqual(m.subject, "张伟")
        XCTAssertEqual(m.snippet, "body")
    }

    func testAutomationTable() throws {
        let cases: [(bytes: [UInt8], expected: MailAutomation?, line: UInt)] = [
            (MailFixtures.autoReply, .autoSubmitted("auto-replied"), #line),
            (MailFixtures.bulk, .precedence("bulk"), #line),
            (MailFixtures.bounce, .bounce("from MAILER-DAEMON@mx.example.com"), #line),
            (MailFixtures.reportFromPerson, .bounce("Content-Type: multipart/report"), #line),
            (MailFixtures.noMessageID, nil, #line),
            (MailFixtures.bytes(["From: postmaster@x.com", "", ""]), .bounce("from postmaster@x.com"), #line),
            (MailFixtures.bytes(["From: a@x.com", "Precedence: list", "", ""]), .precedence("list"), #line),
            (MailFixtures.bytes(["From: a@x.com", "Precedence: first-class", "", ""]), nil, #line),
        ]
        for c in cases {
            XCTAssertEqual(try MailMessage(parsing: c.bytes).automation, c.expected, line: c.line)
        }
    }

    func testBrokenMessagesTable() {
        let cases: [(bytes: [UInt8], expected: MailParseError, line: UInt)] = [
            (MailFixtures.brokenHeaders, .malformedHeaderLine(line: 2, text: "This line is not a header"), #line),
            ([], .noHeaders, #line),
            (MailFixtures.bytes(["", "body only"]), .noHeaders, #line),
            (MailFixtures.bytes([" folded first", "From: a@b.com", "", ""]), .malformedHeaderLine(line: 1, text: " folded first"), #line),
            (MailFixtures.bytes(["Subject: x", "", ""]), .missingHeader("From"), #line),
            (MailFixtures.bytes(["From: nobody", "", ""]), .invalidHeader(name: "From", value: "nobody"), #line),
        ]
        for c in cases {
            XCTAssertThrowsError(try MailMessage(parsing: c.bytes), line: c.line) { error in
                XCTAssertEqual(error as? MailParseError, c.expected, line: c.line)
            }
        }
        XCTAssertEqual(MailParseError.malformedHeaderLine(line: 2, text: "oops").description,
                       "broken header at line 2: \"oops\" is not a \"Name: value\" field")
    }

    func testHeaderFoldingAndMboxLine() throws {
        let (headers, bodyStart) = try MailHeaders.parse(MailFixtures.bytes([
            "From MAILER-DAEMON Sun Nov 22 10:30:00 2026", "Subject: one", "\ttwo", "X-Empty:", "", "body",
        ]))
        XCTAssertEqual(headers.fields.map(\.name), ["Subject", "X-Empty"])
        XCTAssertEqual(headers.value("subject"), "one\ttwo")
        XCTAssertEqual(headers.value("X-Empty"), "")
        XCTAssertEqual(bodyStart, 77)
    }

    func testSnippetIsTheStartOfTheCollapsedText() {
        let texts = ["  hello \r\n\r\n  world  ", "您好，\u{3000}我想\n\n查询 订单", "a\u{00A0}b\tc", "", " \n ",
                     "e\u{301}\u{301} 👩‍👩‍👧 x", String(repeating: "word \r\n", count: 300)]
        for text in texts {
            for length in [1, 2, 3, 5, 8, 500] {
                XCTAssertEqual(MailMessage.snippet(of: text, length: length), String(MailMessage.collapse(text).prefix(length)),
                               "\(text.debugDescription) \(length)")
            }
        }
    }
}
