import CustSyncCore
import XCTest

final class WhitespaceTests: XCTestCase {
    func testTrimmingWhitespace() {
        let cases: [(String, String)] = [
            ("", ""), ("   ", ""), ("abc", "abc"), (" a b ", "a b"),
            ("\u{3000}张伟\u{3000}", "张伟"),          // the ideographic space of full-width input
            ("\t\r\n x\r\n", "x"), ("\u{00A0}R1\u{2028}", "R1"),
            ("a\u{200B}", "a\u{200B}"),               // zero-width space is not whitespace
        ]
        for (input, expected) in cases {
            XCTAssertEqual(input.trimmingWhitespace(), expected, input.debugDescription)
        }
        XCTAssertEqual("key: value ".dropFirst(4).trimmingWhitespace(), "value")
    }
}
