import CustSyncCore
import XCTest

final class CustomerCodeRuleTests: XCTestCase {
    func testRendering() {
        XCTAssertEqual(CustomerCodeRule(template: "KH-{seq:7}").render(seq: 42), "KH-0000042")
        XCTAssertEqual(CustomerCodeRule(template: "KH-{region}-{seq:5}{check}").render(seq: 7, fields: [.region: "bj"]), "KH-BJ-000075")
        XCTAssertEqual(CustomerCodeRule(template: "C{seq}").render(seq: 12345), "C12345")
        XCTAssertEqual(CustomerCodeRule(template: "KH-{region}-{seq:3}").render(seq: 1), "KH-X-001")
    }

    func testCheckDigitCatchesSingleDigitTypos() {
        let code = CustomerCodeRule(template: "KH-{seq:7}{check}").render(seq: 1234)
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
}
