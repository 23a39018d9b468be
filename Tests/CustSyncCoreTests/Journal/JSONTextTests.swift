import CustSyncCore
import Foundation
import XCTest

final class JSONTextTests: XCTestCase {
    func testStringsAreEscapedAndReadBackUnchanged() throws {
        let cases: [(String, String)] = [
            ("plain", #""plain""#),
            ("", #""""#),
            (#"say "hi""#, #""say \"hi\"""#),
            (#"C:\temp"#, #""C:\\temp""#),
            ("line\nbreak\r\ttab", #""line\nbreak\r\ttab""#),
            ("\u{1}\u{1f}", #""\u0001\u001f""#),
            ("张伟 😀 Müller", "\"张伟 😀 Müller\""),
            (#"[{"sku":"A1","qty":1}]"#, #""[{\"sku\":\"A1\",\"qty\":1}]""#),
        ]
        for (value, expected) in cases {
            XCTAssertEqual(JSONText.string(value), expected)
            let decoded = try JSONSerialization.jsonObject(with: Data(JSONText.string(value).utf8), options: .fragmentsAllowed)
            XCTAssertEqual(decoded as? String, value)
        }
    }

    func testObjectsKeepKeyOrderAndWriteNull() throws {
        let text = JSONText.object([("field", "name"), ("value", nil), ("after", "王 \"小\" 明")])
        XCTAssertEqual(text, #"{"field":"name","value":null,"after":"王 \"小\" 明"}"#)
        let decoded = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        XCTAssertEqual(decoded["after"] as? String, "王 \"小\" 明")
        XCTAssertTrue(decoded["value"] is NSNull)
        XCTAssertEqual(JSONText.object([]), "{}")
    }
}
