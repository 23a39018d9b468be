import XCTest
@testable import CustSyncCore

final class EmailAddressTests: XCTestCase {
    private let gmail: Set<String> = ["gmail.com"]

    func testValidAddresses() {
        let cases: [(input: String, ignoreDots: Set<String>, stripPlus: Set<String>, expected: String, line: UInt)] = [
            ("zhang.wei@example.com", [], [], "zhang.wei@example.com", #line),
            ("Zhang.Wei@Example.COM", [], [], "zhang.wei@example.com", #line),
            ("  zw@example.com \n", [], [], "zw@example.com", #line),
            ("<zw@example.com>", [], [], "zw@example.com", #line),
            (" < zw@example.com > ", [], [], "zw@example.com", #line),
            ("Zhang Wei <ZW@example.com>", [], [], "zw@example.com", #line),
            ("\"Zhang, Wei\" <zw@example.com>", [], [], "zw@example.com", #line),
            ("mailto:zw@example.com", [], [], "zw@example.com", #line),
            ("MAILTO:ZW@EXAMPLE.COM?subject=hello", [], [], "zw@example.com", #line),
            ("<mailto:zw@example.com>", [], [], "zw@example.com", #line),
            ("zw＠example.com", [], [], "zw@example.com", #line),
            ("ｚｗ＠ｅｘａｍｐｌｅ．ｃｏｍ", [], [], "zw@example.com", #line),
            ("zw@example。com", [], [], "zw@example.com", #line),
            ("zw@example.com.", [], [], "zw@example.com", #line),
            ("zw\u{200B}@example.com", [], [], "zw@example.com", #line),
            ("zhang_wei-1980@mail.example.com.cn", [], [], "zhang_wei-1980@mail.example.com.cn", #line),
            ("o'brien@example.ie", [], [], "o'brien@example.ie", #line),
            ("张伟@例子.中国", [], [], "张伟@例子.中国", #line),
            ("user@xn--fsqu00a.xn--fiqs8s", [], [], "user@xn--fsqu00a.xn--fiqs8s", #line),
            // Dots and +tags are left alone unless the domain is configured.
            ("zhang.wei+shop@example.com", [], [], "zhang.wei+shop@example.com", #line),
            ("zhang.wei+shop@example.com", ["gmail.com"], ["gmail.com"], "zhang.wei+shop@example.com", #line),
            ("Zhang.Wei+Shop@Gmail.com", ["gmail.com"], ["gmail.com"], "zhangwei@gmail.com", #line),
            ("zhang.wei+shop@gmail.com", ["gmail.com"], [], "zhangwei+shop@gmail.com", #line),
            ("zhang.wei+shop@gmail.com", [], ["gmail.com"], "zhang.wei@gmail.com", #line),
            ("zhang.wei+shop@gmail.com", ["GMAIL.COM"], ["Gmail.com"], "zhangwei@gmail.com", #line),
            ("z.w+a+b@fastmail.com", [], ["fastmail.com"], "z.w@fastmail.com", #line),
            ("+shop@gmail.com", [], ["gmail.com"], "+shop@gmail.com", #line),  // nothing would be left
        ]
        for c in cases {
            do {
                let email = try EmailAddress(parsing: c.input, ignoreDotsDomains: c.ignoreDots,
                                             stripPlusTagDomains: c.stripPlus)
                XCTAssertEqual(email.normalized, c.expected, "input \(c.input)", line: c.line)
            } catch {
                XCTFail("\(c.input): unexpected error \(error.message)", line: c.line)
            }
        }
    }

    func testInvalidAddresses() {
        let cases: [(input: String, message: String, line: UInt)] = [
            ("", "e-mail address is empty", #line),
            ("  ", "e-mail address is empty", #line),
            ("foo", "\"foo\" has no \"@\"", #line),
            ("foo@", "\"foo@\" has no domain after the \"@\"", #line),
            ("@x.com", "\"@x.com\" has nothing before the \"@\"", #line),
            ("a@b", "\"a@b\" has no dot in its domain \"b\"", #line),
            ("a b@c.com", "\"a b@c.com\" contains a space, which is not allowed in an e-mail address", #line),
            ("a@b c.com", "\"a@b c.com\" contains a space, which is not allowed in an e-mail address", #line),
            ("a@b@c.com", "\"a@b@c.com\" contains more than one \"@\"", #line),
            ("a@x.com; b@y.com", "\"a@x.com; b@y.com\" contains a space, which is not allowed in an e-mail address", #line),
            ("a@x.com;b@y.com", "\"a@x.com;b@y.com\" contains more than one \"@\"", #line),
            ("a,b@c.com", "\"a,b@c.com\" contains \",\", which is not allowed in an e-mail address", #line),
            (".a@c.com", "\".a@c.com\" has a misplaced dot before the \"@\"", #line),
            ("a.@c.com", "\"a.@c.com\" has a misplaced dot before the \"@\"", #line),
            ("a..b@c.com", "\"a..b@c.com\" has a misplaced dot before the \"@\"", #line),
            ("a@.com", "\"a@.com\" has an empty part in its domain \".com\"", #line),
            ("a@b..com", "\"a@b..com\" has an empty part in its domain \"b..com\"", #line),
            ("a@-b.com", "\"a@-b.com\" has a domain part starting or ending with \"-\"", #line),
            ("a@b_c.com", "\"a@b_c.com\" contains \"_\" in its domain, which is not allowed", #line),
            ("a@1.2.3.4", "\"a@1.2.3.4\" has a numeric top-level domain \"4\"", #line),
            ("<>", "\"<>\" has no \"@\"", #line),
            ("\(String(repeating: "a", count: 65))@c.com",
             "\"\(String(repeating: "a", count: 65))@c.com\" has a local part longer than 64 characters", #line),
        ]
        for c in cases {
            do {
                let email = try EmailAddress(parsing: c.input)
                XCTFail("\(c.input): expected an error, got \(email)", line: c.line)
            } catch {
                XCTAssertEqual(error.field, .email, line: c.line)
                XCTAssertEqual(error.message, c.message, line: c.line)
            }
        }
    }

    func testPartsAndMask() throws {
        let cases: [(input: String, local: String, domain: String, masked: String, line: UInt)] = [
            ("Zhang.Wei@Example.com", "zhang.wei", "example.com", "z***@example.com", #line),
            ("a@b.cn", "a", "b.cn", "a***@b.cn", #line),
            ("张伟@例子.中国", "张伟", "例子.中国", "张***@例子.中国", #line),
        ]
        for c in cases {
            let email = try EmailAddress(parsing: c.input)
            XCTAssertEqual(email.localPart, c.local, line: c.line)
            XCTAssertEqual(email.domain, c.domain, line: c.line)
            XCTAssertEqual(email.masked, c.masked, line: c.line)
            XCTAssertEqual(email.description, email.normalized, line: c.line)
        }
    }

    func testSpellingsOfOneAddressAreEqual() throws {
        let spellings = ["Zhang.Wei@gmail.com", "<zhangwei@GMAIL.com>", "zhang.wei+orders@gmail.com",
                         "ｚｈａｎｇ．ｗｅｉ＠ｇｍａｉｌ．ｃｏｍ", "mailto:z.h.a.n.g.w.e.i@gmail.com"]
        let parsed = try spellings.map {
            try EmailAddress(parsing: $0, ignoreDotsDomains: gmail, stripPlusTagDomains: gmail)
        }
        XCTAssertEqual(Set(parsed).count, 1)
        XCTAssertEqual(parsed.first?.normalized, "zhangwei@gmail.com")
    }
}
