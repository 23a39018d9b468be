@testable import CustSyncCore
import XCTest

/// The validator and `CharsetFit` share the lead-byte table (`UTF8LeadByte`); both must agree
/// with Swift's own strict decoder, whatever the chunking.
final class UTF8ValidatorTests: XCTestCase {
    func testTheOddCases() {
        let cases: [(bytes: [UInt8], valid: Bool)] = [
            (Array("张伟 Zhang Wei é 🙂".utf8), true),
            ([0xC0, 0xAF], false),              // overlong "/"
            ([0xE0, 0x80, 0xAF], false),        // overlong, three bytes
            ([0xED, 0xA0, 0x80], false),        // a surrogate (U+D800)
            ([0xF4, 0x90, 0x80, 0x80], false),  // above U+10FFFF
            ([0xE4, 0xBD], false),              // cut off at the end
            ([0x80], false),                    // a continuation byte alone
        ]
        for (bytes, valid) in cases {
            XCTAssertEqual(validate(bytes, chunk: 1), valid, "\(bytes)")
            XCTAssertEqual(validate(bytes, chunk: 64), valid, "\(bytes)")
        }
    }

    func testAgreesWithSwiftsDecoderOnRandomBytes() {
        var generator = SystemRandomNumberGenerator()
        let alphabet: [UInt8] = [0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC2, 0xDF, 0xE0, 0xE1,
                                 0xED, 0xEE, 0xEF, 0xF0, 0xF1, 0xF4, 0xF5, 0xFF]
        for _ in 0..<5_000 {
            let bytes = (0..<Int.random(in: 1...9, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! }
            let expected = String(validating: bytes, as: UTF8.self) != nil
            XCTAssertEqual(validate(bytes, chunk: Int.random(in: 1...4, using: &generator)), expected, "\(bytes)")
            var fit = CharsetFit()
            bytes.withUnsafeBytes { fit.feed($0) }
            fit.finish()
            XCTAssertEqual(fit.invalidUTF8 == 0, expected, "CharsetFit on \(bytes)")
        }
    }

    private func validate(_ bytes: [UInt8], chunk: Int) -> Bool {
        var validator = UTF8Validator()
        var start = 0
        while start < bytes.count {
            let end = min(start + chunk, bytes.count)
            bytes[start..<end].withUnsafeBytes { _ = validator.feed($0) }
            start = end
        }
        return validator.finish()
    }
}
