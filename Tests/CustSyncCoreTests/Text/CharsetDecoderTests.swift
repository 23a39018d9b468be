import XCTest
@testable import CustSyncCore

final class CharsetDecoderTests: XCTestCase {
    func testDecodes() throws {
        let cases: [(charset: String, hex: String, expected: String)] = [
            ("GB18030", "d5c5ceb0 2c 3133383030313338303030", "张伟,13800138000"),
            ("gb2312", "d5c5ceb0", "张伟"),
            ("gbk", "d5c5ceb0 817c", "张伟亅"),
            ("x-gbk", "d6d0cec4", "中文"),
            ("cp936", "d6d0cec4", "中文"),
            ("GB18030", "9439fc36", "😀"),
            ("gb18030", "a2e3", "€"),
            ("big5", "a4a4a4e5 a96da657", "中文姓名"),
            ("latin1", "e9 74 e9", "été"),
            ("ISO-8859-1", "c0", "À"),
            ("iso-8859-15", "a4", "€"),
            ("ISO_8859-2", "b1", "ą"),
            ("windows-1252", "80 93 41 94", "€\u{201C}A\u{201D}"),
            ("cp1252", "80", "€"),
            ("utf8", "e5bca0e4bc9f", "张伟"),
            ("UTF-8", "", ""),
            ("us-ascii", "41 42", "AB"),
            (" \"GBK\" ", "d5c5", "张"),
        ]
        for test in cases {
            let decoder = try CharsetDecoder(charset: test.charset)
            XCTAssertEqual(try decoder.decode(TextTestSupport.hex(test.hex)), test.expected, test.charset)
            XCTAssertEqual(try decoder.decode(ArraySlice(TextTestSupport.hex(test.hex))), test.expected, test.charset)
        }
    }

    func testInvalidBytesThrowWithOffset() throws {
        let cases: [(charset: String, bytes: [UInt8], error: CharsetDecodingError)] = [
            ("gb18030", [0x61, 0x62, 0xFF, 0x63], .invalidSequence(charset: "GB18030", offset: 2)),
            ("gbk", [0x61, 0xD5], .truncatedSequence(charset: "GB18030", offset: 1)),
            ("gb18030", [0xD5, 0x0A], .invalidSequence(charset: "GB18030", offset: 0)),
            ("utf-8", [0x61, 0xC3, 0x28], .invalidSequence(charset: "UTF-8", offset: 1)),
            ("utf-8", Array("张".utf8).dropLast(), .invalidSequence(charset: "UTF-8", offset: 0)),
            ("utf-8", [0xD5, 0xC5], .invalidSequence(charset: "UTF-8", offset: 0)),
            ("us-ascii", [0x41, 0xE9], .invalidSequence(charset: "US-ASCII", offset: 1)),
            ("windows-1252", [0x41, 0x81], .invalidSequence(charset: "WINDOWS-1252", offset: 1)),
        ]
        for test in cases {
            let decoder = try CharsetDecoder(charset: test.charset)
            XCTAssertThrowsError(try decoder.decode(test.bytes), test.charset) {
                XCTAssertEqual($0 as? CharsetDecodingError, test.error, test.charset)
            }
            // The decoder stays usable after a failure (MIME code reuses one per charset).
            XCTAssertEqual(try decoder.decode([0x41]), "A")
        }
    }

    func testAliases() {
        let cases: [(label: String, name: String)] = [
            ("gb2312", "GB18030"), ("GBK", "GB18030"), ("x-gbk", "GB18030"), ("CP936", "GB18030"), ("GB18030", "GB18030"),
            ("euc-cn", "GB18030"), ("big5", "BIG5"), ("Big5-HKSCS", "BIG5-HKSCS"), ("latin1", "ISO-8859-1"),
            ("iso8859-15", "ISO-8859-15"), ("ISO-8859-9", "ISO-8859-9"), ("utf8", "UTF-8"), ("UTF-8", "UTF-8"),
            ("us-ascii", "US-ASCII"), ("windows-1252", "WINDOWS-1252"), ("cp1251", "WINDOWS-1251"),
            ("Shift_JIS", "SHIFT_JIS"),
        ]
        for test in cases {
            XCTAssertEqual(CharsetDecoder.canonicalName(for: test.label).name, test.name, test.label)
        }
    }

    func testPassThroughAndUnsupportedCharsets() throws {
        XCTAssertEqual(try CharsetDecoder(charset: "Shift_JIS").decode([0x82, 0xA0]), "あ")
        XCTAssertThrowsError(try CharsetDecoder(charset: "x-klingon")) {
            XCTAssertEqual($0 as? CharsetDecodingError, .unsupportedCharset("x-klingon"))
        }
    }

    func testNonContiguousInput() throws {
        let decoder = try CharsetDecoder(charset: "gbk")
        let bytes = TextTestSupport.hex("d5c5ceb0").lazy.map { $0 }
        XCTAssertEqual(try decoder.decode(bytes), "张伟")
    }
}
