import CustSyncCore
import XCTest

final class CustomerCodeRuleTests: XCTestCase {
    func testRendering() throws {
        XCTAssertEqual(try CustomerCodeRule(template: "KH-{seq:7}").render(seq: 42), "KH-0000042")
        XCTAssertEqual(try CustomerCodeRule(template: "KH-{region}-{seq:5}{check}").render(seq: 7, fields: [.region: "bj"]), "KH-BJ-000075")
        XCTAssertEqual(try CustomerCodeRule(template: "C{seq}").render(seq: 12345), "C12345")
        XCTAssertEqual(try CustomerCodeRule(template: "KH-{region}-{seq:3}").render(seq: 1), "KH-X-001")
    }

    func testCheckDigitCatchesSingleDigitTypos() throws {
        let code = try CustomerCodeRule(template: "KH-{seq:7}{check}").render(seq: 1234)
        XCTAssertTrue(CustomerCodeRule.checkDigitIsValid(code))
        var digits = Array(code)
        for index in digits.indices where digits[index].isNumber {
            let original = digits[index]
            for replacement in "0123456789" where replacement != original {
                digits[index] = replacement
                XCTAssertFalse(CustomerCodeRule.checkDigitIsValid(String(digits)), String(digits))
            }
            digits[index] = original
        }
    }

    func testShapeAndCheckDigitComeFromTheParsedTemplate() throws {
        let rule = try CustomerCodeRule(template: "KH-{seq:7}{check}")
        XCTAssertTrue(rule.hasCheckDigit)
        XCTAssertTrue(rule.looksLikeCode("KH-00012343"))
        XCTAssertFalse(rule.looksLikeCode("KH-"))
        XCTAssertFalse(rule.looksLikeCode("zhang@example.com"))
        XCTAssertFalse(CustomerCodeRule(CodeSettings()).hasCheckDigit)
        XCTAssertThrowsError(try CustomerCodeRule(template: "KH-{seq:7"))
        XCTAssertThrowsError(try CustomerCodeRule(template: "KH-{name}-{seq}"))
    }
}
