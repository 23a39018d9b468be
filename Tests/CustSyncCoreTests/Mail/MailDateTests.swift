import XCTest
@testable import CustSyncCore

final class MailDateTests: XCTestCase {
    func testParsesTable() {
        // 2026-11-22 10:30:00 UTC
        let base: TimeInterval = 1_795_343_400
        let cases: [(input: String, expected: TimeInterval?, line: UInt)] = [
            ("Sun, 22 Nov 2026 10:30:00 +0000", base, #line),
            ("Sun, 22 Nov 2026 18:30:00 +0800", base, #line),
            ("22 Nov 2026 05:30:00 -0500", base, #line),
            ("Sun,  22  Nov  2026  10:30:00  +0000", base, #line),
            ("Sun, 22 Nov 2026 10:30 +0000", base, #line),
            ("Sun, 22 Nov 26 10:30:00 GMT", base, #line),
            ("Sun, 22 Nov 2026 05:30:00 EST", base, #line),
            ("Sun, 22 Nov 2026 04:30:00 CST", base, #line),
            ("Sun, 22 Nov 2026 02:30:00 PST", base, #line),
            ("Sun, 22 Nov 2026 10:30:00 UT", base, #line),
            ("Sun, 22 Nov 2026 10:30:00 +0000 (UTC)", base, #line),
            ("Sunday, 22 November 2026 10:30:00 Z", base, #line),
            ("Sun Nov 22 2026 10:30:00 +0000", base, #line),
            ("Sun, 22 Nov 2026 10:30:00", base, #line),
            ("Mon, 1 Jan 99 00:00:00 +0000", 915_148_800, #line),
            ("Thu, 1 Jan 70 00:00:00 +0000", 0, #line),
            ("Sat, 1 Jan 49 00:00:00 +0000", 2_493_072_000, #line),
            ("29 Feb 2024 12:00:00 +0000", 1_709_208_000, #line),
            ("yesterday", nil, #line),
            ("32 Nov 2026 10:30:00 +0000", nil, #line),
            ("22 Foo 2026 10:30:00 +0000", nil, #line),
            ("22 Nov 2026 25:30:00 +0000", nil, #line),
            ("22 Nov 2026 10:30:00 +08", nil, #line),
            ("31 Dec 9999 23:59:59 +0000", 253_402_300_799, #line),
            ("1 Jan 10000 00:00:00 +0000", nil, #line),
            ("1 Jan 0000 00:00:00 +0000", nil, #line),
            // Tests/Fuzz/regressions/mail: the day count overflowed and trapped.
            ("1 Jan 99999999999999 00:00", nil, #line),
        ]
        for c in cases {
            XCTAssertEqual(MailDate.parse(c.input)?.timeIntervalSince1970, c.expected, "\(c.input)", line: c.line)
        }
    }
}
