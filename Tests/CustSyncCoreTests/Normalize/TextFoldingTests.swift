import XCTest
@testable import CustSyncCore

final class TextFoldingTests: XCTestCase {
    func testFold() {
        let cases: [(input: String, expected: String, line: UInt)] = [
            ("", "", #line),
            ("   ", "", #line),
            ("plain", "plain", #line),
            ("  trim me  ", "trim me", #line),
            ("a   b\t\tc\n\nd", "a b c d", #line),
            ("a\r\nb", "a b", #line),
            ("ＡＢＣ１２３", "ABC123", #line),
            ("（北京）", "(北京)", #line),
            ("北京市　朝阳区", "北京市 朝阳区", #line),
            ("\u{3000}\u{3000}上海\u{3000}", "上海", #line),
            ("a\u{00A0}b", "a b", #line),
            ("zero\u{200B}width", "zerowidth", #line),
            ("\u{FEFF}bom", "bom", #line),
            ("a\u{200C}b\u{200D}c\u{2060}d", "abcd", #line),
            ("a \u{200B} b", "a b", #line),
            // Bidirectional marks and isolates (phones and chat apps add them), a soft hyphen.
            ("\u{200E}张伟\u{200F}", "张伟", #line),
            ("\u{202A}Zhang\u{202C} \u{2066}Wei\u{2069}", "Zhang Wei", #line),
            ("Sonder\u{00AD}gaard", "Sondergaard", #line),
            ("ｶﾀｶﾅ", "カタカナ", #line),
            ("ﬁne", "fine", #line),
            ("Cafe\u{0301}", "Café", #line),
            ("１２３号　５楼", "123号 5楼", #line),
        ]
        for c in cases {
            XCTAssertEqual(TextFolding.fold(c.input), c.expected, "input \(c.input.debugDescription)", line: c.line)
        }
    }

    func testFoldIsIdempotent() {
        for s in ["  Ｚｈａｎｇ　 Ｗｅｉ ", "北京市\u{200B}朝阳区　建国路 ８８ 号", "a\tb"] {
            let once = TextFolding.fold(s)
            XCTAssertEqual(TextFolding.fold(once), once)
        }
    }
}
