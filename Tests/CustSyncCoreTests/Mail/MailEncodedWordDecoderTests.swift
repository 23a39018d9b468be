import XCTest
@testable import CustSyncCore

final class MailEncodedWordDecoderTests: XCTestCase {
    func testDecodesTable() {
        let cases: [(input: String, expected: String, line: UInt)] = [
            ("plain text", "plain text", #line),
            ("=?UTF-8?B?5byg5Lyf?=", "张伟", #line),
            ("=?utf-8?q?=E5=BC=A0=E4=BC=9F?=", "张伟", #line),
            ("=?GBK?B?1cXOsA==?=", "张伟", #line),
            ("=?gb2312?B?v827p9fJ0a8=?=", "客户咨询", #line),
            ("=?GB18030?Q?=C4=FA=BA=C3=A3=AC=B6=A9=B5=A5?=", "您好，订单", #line),
            ("=?big5?B?s6+l/aXN?=", "陳先生", #line),
            ("=?ISO-8859-1?Q?M=FCller?=", "Müller", #line),
            ("=?iso-8859-2?B?o/NkvA==?=", "Łódź", #line),
            ("=?ISO-8859-1?Q?a_b?=", "a b", #line),
            // Adjacent words: whitespace between them disappears.
            ("=?UTF-8?B?5byg?= =?UTF-8?B?5Lyf?=", "张伟", #line),
            ("=?UTF-8?B?5byg?=\r\n =?UTF-8?B?5Lyf?=", "张伟", #line),
            // A character split across two words is joined at the byte level.
            ("=?UTF-8?B?6K6i5Q==?= =?UTF-8?B?jZU=?=", "订单", #line),
            // Text around words keeps its spacing.
            ("Re: =?UTF-8?B?6K6i5Y2V6Zeu6aKY?= #12", "Re: 订单问题 #12", #line),
            ("=?UTF-8?B?5byg?= and =?GBK?B?1cXOsA==?=", "张 and 张伟", #line),
            // Language tag (RFC 2231).
            ("=?UTF-8*zh?B?5byg5Lyf?=", "张伟", #line),
            // Not encoded words: kept as written.
            ("=?UTF-8?X?abc?=", "=?UTF-8?X?abc?=", #line),
            ("=?no-such-charset?B?5byg?=", "=?no-such-charset?B?5byg?=", #line),
            ("a =? b", "a =? b", #line),
            // The encoded text holds no "?" (RFC 2047): a raw one ends it, and this is no word.
            ("=?UTF-8?Q?why?_not?=", "=?UTF-8?Q?why?_not?=", #line),
        ]
        for c in cases {
            XCTAssertEqual(EncodedWordDecoder.decode(c.input), c.expected, line: c.line)
        }
    }

    /// Every "=?" used to start a search for "?=" through the rest of the text: a 700 KB Subject
    /// (within MaxMessageSize) took hours. Now each search stops at the next "?".
    func testManyOpeningsWithoutAWordAreKeptAsWritten() {
        let text = String(repeating: "=?-?B?x", count: 100_000) + "?="
        XCTAssertEqual(EncodedWordDecoder.decode(text), text)
        let decodedAtTheEnd = String(repeating: "=?-?B?x", count: 100_000) + " =?UTF-8?B?5byg5Lyf?="
        XCTAssertEqual(EncodedWordDecoder.decode(decodedAtTheEnd), String(repeating: "=?-?B?x", count: 100_000) + " 张伟")
    }

    func testTransferDecoding() {
        XCTAssertEqual(TransferDecoding.base64(Array("aGVs\r\nbG8=".utf8)), Array("hello".utf8))
        XCTAssertEqual(TransferDecoding.base64(Array("aGVsbG8".utf8)), Array("hello".utf8))
        XCTAssertEqual(TransferDecoding.quotedPrintable(Array("caf=C3=A9 =\r\nau lait=3D".utf8)),
                       Array("café au lait=".utf8))
        XCTAssertEqual(TransferDecoding.quotedPrintable(Array("50% =ZZ".utf8)), Array("50% =ZZ".utf8))
    }
}
