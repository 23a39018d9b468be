import XCTest
@testable import CustSyncCore

final class MailAddressTests: XCTestCase {
    func testParsesTable() {
        let cases: [(input: String, expected: [MailAddress], line: UInt)] = [
            ("zw@example.com", [MailAddress(address: "zw@example.com")], #line),
            ("<zw@example.com>", [MailAddress(address: "zw@example.com")], #line),
            ("\"张伟\" <zw@example.com>", [MailAddress(address: "zw@example.com", displayName: "张伟")], #line),
            ("张伟 <zw@example.com>", [MailAddress(address: "zw@example.com", displayName: "张伟")], #line),
            ("=?GBK?B?1cXOsA==?= <x@y.cn>", [MailAddress(address: "x@y.cn", displayName: "张伟")], #line),
            ("\"=?UTF-8?B?5byg5Lyf?=\" <x@y.cn>", [MailAddress(address: "x@y.cn", displayName: "张伟")], #line),
            ("\"Zhang, Wei\" <zw@example.com>, li@example.com",
             [MailAddress(address: "zw@example.com", displayName: "Zhang, Wei"), MailAddress(address: "li@example.com")], #line),
            ("zw@example.com (Zhang Wei)", [MailAddress(address: "zw@example.com", displayName: "Zhang Wei")], #line),
            ("\"O\\\"Brien\" <ob@example.ie>", [MailAddress(address: "ob@example.ie", displayName: "O\"Brien")], #line),
            ("team: a@x.com, b@x.com;", [MailAddress(address: "a@x.com"), MailAddress(address: "b@x.com")], #line),
            ("undisclosed-recipients:;", [], #line),
            ("not an address", [], #line),
            ("", [], #line),
        ]
        for c in cases {
            XCTAssertEqual(MailAddress.parseList(c.input), c.expected, line: c.line)
        }
    }
}
