import XCTest
@testable import CustSyncCore

final class PhoneNumberTests: XCTestCase {
    func testValidNumbers() throws {
        let cases: [(input: String, region: String, e164: String, ext: String?, line: UInt)] = [
            // Chinese mobiles in every spelling.
            ("13800138000", "CN", "+8613800138000", nil, #line),
            ("１３８００１３８０００", "CN", "+8613800138000", nil, #line),
            ("\u{200E}+86 138 0013 8000\u{200F}", "CN", "+8613800138000", nil, #line),  // bidi marks from a phone's contacts
            ("+86 138-0013-8000", "CN", "+8613800138000", nil, #line),
            ("＋８６　１３８－００１３－８０００", "CN", "+8613800138000", nil, #line),
            ("0086 13800138000", "CN", "+8613800138000", nil, #line),
            ("8613800138000", "CN", "+8613800138000", nil, #line),
            ("86 138 0013 8000", "CN", "+8613800138000", nil, #line),
            ("138 0013 8000", "CN", "+8613800138000", nil, #line),
            ("138.0013.8000", "CN", "+8613800138000", nil, #line),
            ("(+86) 13800138000", "CN", "+8613800138000", nil, #line),
            ("+86 (0) 138 0013 8000", "CN", "+8613800138000", nil, #line),
            ("013800138000", "CN", "+8613800138000", nil, #line),  // 0 dialled before a mobile
            ("tel:+86-138-0013-8000", "CN", "+8613800138000", nil, #line),
            ("\u{200B}138 0013 8000\u{FEFF}", "CN", "+8613800138000", nil, #line),
            ("199 1234 5678", "CN", "+8619912345678", nil, #line),
            // Mobiles written internationally parse whatever the default region.
            ("+86 138 0013 8000", "US", "+8613800138000", nil, #line),
            ("0086-138-0013-8000", "GB", "+8613800138000", nil, #line),
            // Chinese landlines.
            ("010-12345678", "CN", "+861012345678", nil, #line),
            ("(010) 12345678", "CN", "+861012345678", nil, #line),
            ("010 1234 5678", "CN", "+861012345678", nil, #line),
            ("021-6888 1234", "CN", "+862168881234", nil, #line),
            ("(0755) 8888 1234", "CN", "+8675588881234", nil, #line),
            ("0755-88881234", "CN", "+8675588881234", nil, #line),
            ("0755/8888-1234", "CN", "+8675588881234", nil, #line),
            ("0571 8765432", "CN", "+865718765432", nil, #line),      // 7-digit subscriber
            ("0391-2345678", "CN", "+863912345678", nil, #line),
            ("+86 391 2345678", "CN", "+863912345678", nil, #line),
            ("571 8765 4321", "CN", "+8657187654321", nil, #line),    // no 0, but 8-digit subscriber
            ("10 1234 5678", "CN", "+861012345678", nil, #line),      // Beijing without its 0
            ("2168881234", "CN", "+862168881234", nil, #line),
            ("800-820-8820", "CN", "+868008208820", nil, #line),
            ("+86 10 12345678", "CN", "+861012345678", nil, #line),
            ("+86 (0755) 88881234", "CN", "+8675588881234", nil, #line),
            ("86 755 8888 1234", "CN", "+8675588881234", nil, #line),
            ("0086 10 1234 5678", "US", "+861012345678", nil, #line),
            ("400-810-8888", "CN", "+864008108888", nil, #line),
            // Extensions.
            ("010-12345678 ext. 123", "CN", "+861012345678", "123", #line),
            ("010-12345678 EXT 123", "CN", "+861012345678", "123", #line),
            ("010-12345678x123", "CN", "+861012345678", "123", #line),
            ("010-12345678 X 123", "CN", "+861012345678", "123", #line),
            ("010-12345678转123", "CN", "+861012345678", "123", #line),
            ("010-12345678 转 8001", "CN", "+861012345678", "8001", #line),
            ("010-12345678 分机 66", "CN", "+861012345678", "66", #line),
            ("010-12345678#123", "CN", "+861012345678", "123", #line),
            ("010-12345678 ＃１２３", "CN", "+861012345678", "123", #line),
            ("+861012345678;ext=123", "CN", "+861012345678", "123", #line),
            ("+861012345678 ext. 123", "US", "+861012345678", "123", #line),
            ("13800138000 #", "CN", "+8613800138000", nil, #line),    // marker without digits
            // A dash group after a complete landline is an extension ...
            ("010-12345678-123", "CN", "+861012345678", "123", #line),
            ("(0755) 8888 1234-56", "CN", "+8675588881234", "56", #line),
            ("+86 10 12345678 - 9", "CN", "+861012345678", "9", #line),
            // ... but not when the whole run is itself a valid number.
            ("0755-8888123-4", "CN", "+8675588881234", nil, #line),
            ("0755-8888-1234", "CN", "+8675588881234", nil, #line),
            // Other regions.
            ("(415) 555-2671", "US", "+14155552671", nil, #line),
            ("415.555.2671", "us", "+14155552671", nil, #line),
            ("1-415-555-2671", "US", "+14155552671", nil, #line),
            ("011 44 20 7946 0958", "US", "+442079460958", nil, #line),
            ("416-555-0199", "CA", "+14165550199", nil, #line),
            ("+1 415 555 2671", "CN", "+14155552671", nil, #line),
            ("020 7946 0958", "GB", "+442079460958", nil, #line),
            ("07700 900123", "UK", "+447700900123", nil, #line),
            ("+44 (0)20 7946 0958", "CN", "+442079460958", nil, #line),
            ("030 1234567", "DE", "+49301234567", nil, #line),
            ("+49 (0)30 1234567", "CN", "+49301234567", nil, #line),
            ("01 23 45 67 89", "FR", "+33123456789", nil, #line),
            ("06.12.34.56.78", "FR", "+33612345678", nil, #line),
            ("03-1234-5678", "JP", "+81312345678", nil, #line),
            ("090-1234-5678", "JP", "+819012345678", nil, #line),
            ("2123 4567", "HK", "+85221234567", nil, #line),
            ("+852 2123 4567", "CN", "+85221234567", nil, #line),
            ("02-2345-6789", "TW", "+886223456789", nil, #line),
            ("0912 345 678", "TW", "+886912345678", nil, #line),
            ("6123 4567", "SG", "+6561234567", nil, #line),
            // Unknown country codes are kept if the length is plausible.
            ("+7 495 123-45-67", "CN", "+74951234567", nil, #line),
            ("0061 2 9876 5432", "CN", "+61298765432", nil, #line),
            ("+39 06 1234 5678", "CN", "+390612345678", nil, #line),  // Italy keeps its 0
        ]
        for c in cases {
            do {
                let phone = try PhoneNumber(parsing: c.input, defaultRegion: c.region)
                XCTAssertEqual(phone.e164, c.e164, "input \(c.input)", line: c.line)
                XCTAssertEqual(phone.extensionNumber, c.ext, "input \(c.input)", line: c.line)
            } catch {
                XCTFail("\(c.input) [\(c.region)]: unexpected error \(error.message)", line: c.line)
            }
        }
    }

    func testInvalidNumbers() {
        let cases: [(input: String, region: String, message: String, line: UInt)] = [
            ("", "CN", "phone number is empty", #line),
            ("   ", "CN", "phone number is empty", #line),
            ("n/a", "CN", "\"n/a\" is not a phone number (no digits)", #line),
            ("unknown", "CN", "\"unknown\" is not a phone number (no digits)", #line),
            ("无", "CN", "\"无\" is not a phone number (no digits)", #line),
            ("138 0013", "CN", "\"138 0013\" is too short for a phone number (7 digits)", #line),
            ("12345", "CN", "\"12345\" is too short for a phone number (5 digits)", #line),
            ("1380013800", "CN", "\"1380013800\" is too short for a phone number (10 digits)", #line),
            ("138001380001", "CN", "\"138001380001\" is too long for a phone number (12 digits)", #line),
            ("+86 138 0013", "CN", "\"+86 138 0013\" is too short for a phone number (9 digits)", #line),
            ("12345678901", "CN", "\"12345678901\" is not a valid Chinese phone number", #line),
            // A mobile with its leading 1 lost reads like a landline without its 0 (139 1234 5678
            // → 391-2345678, a real Jiaozuo number): which one it is cannot be told.
            ("3912345678", "CN", "\"3912345678\" is not a complete Chinese number (a landline needs the 0 before its area code; a mobile has 11 digits starting with 1)", #line),
            ("391 234 5678", "CN", "\"391 234 5678\" is not a complete Chinese number (a landline needs the 0 before its area code; a mobile has 11 digits starting with 1)", #line),
            ("88881234", "CN", "\"88881234\" is a local number without an area code", #line),
            ("010-123456", "CN", "\"010-123456\" is too short for a phone number (9 digits)", #line),
            // Beijing and the 02x cities have 8-digit numbers only; 7 digits after 02 is usually a
            // Taipei number (02-2345-6789) missing its +886, which must not become a Tianjin key.
            ("010-1234567", "CN", "\"010-1234567\" is too short for a phone number (10 digits)", #line),
            ("02-2345-6789", "CN", "\"02-2345-6789\" is too short for a phone number (10 digits)", #line),
            ("+86 21 6888123", "CN", "\"+86 21 6888123\" is too short for a phone number (11 digits)", #line),
            ("010-1234567-89", "CN", "\"010-1234567-89\" is too long for a phone number (12 digits)", #line),
            ("010-123456789", "CN", "\"010-123456789\" is too long for a phone number (12 digits)", #line),
            ("1380013800o", "CN", "\"1380013800o\" contains \"o\", which does not belong in a phone number", #line),
            ("call 13800138000", "CN", "\"call 13800138000\" contains \"c\", which does not belong in a phone number", #line),
            ("138+00138000", "CN", "\"138+00138000\" contains \"+\", which does not belong in a phone number", #line),
            ("13800138000, 13900139000", "CN", "\"13800138000, 13900139000\" contains \",\", which does not belong in a phone number", #line),
            ("13800138000 / 13900139000", "CN", "\"13800138000 / 13900139000\" is too long for a phone number (22 digits)", #line),
            ("010-12345678 ext abc", "CN", "\"010-12345678 ext abc\" has an extension that is not a number (\"abc\")", #line),
            ("010-12345678 x123456789", "CN", "\"010-12345678 x123456789\" has an extension that is too long (9 digits)", #line),
            ("+86 138 0013 8000-12", "CN", "\"+86 138 0013 8000-12\" is too long for a phone number (15 digits)", #line),
            ("+0 123 4567 890", "CN", "\"+0 123 4567 890\" does not start with a valid country code", #line),
            ("+1234567", "CN", "\"+1234567\" is too short for an international phone number (7 digits after the prefix)", #line),
            ("+123 4567 8901 23456", "CN", "\"+123 4567 8901 23456\" is too long for an international phone number (16 digits after the prefix)", #line),
            ("555-0199", "US", "\"555-0199\" is a local number without an area code", #line),
            ("(015) 555-2671", "US", "\"(015) 555-2671\" is not a valid North American number (area code and exchange cannot start with 0 or 1)", #line),
            ("20 7946 0958", "GB", "\"20 7946 0958\" is not a complete GB number (national numbers start with 0; add it or a country code)", #line),
            ("01 23 45 67 8", "FR", "\"01 23 45 67 8\" is too short for a phone number (9 digits)", #line),
            ("2123 45678", "HK", "\"2123 45678\" is too long for a phone number (9 digits)", #line),
            ("13800138000", "XX", "\"13800138000\" has no country code and the default region \"XX\" is not supported", #line),
        ]
        for c in cases {
            do {
                let phone = try PhoneNumber(parsing: c.input, defaultRegion: c.region)
                XCTFail("\(c.input) [\(c.region)]: expected an error, got \(phone)", line: c.line)
            } catch {
                XCTAssertEqual(error.field, .phone, line: c.line)
                XCTAssertEqual(error.message, c.message, line: c.line)
            }
        }
    }

    func testMasked() throws {
        let cases: [(input: String, masked: String, line: UInt)] = [
            ("13800138000", "138****8000", #line),
            ("+86 199 1234 5678", "199****5678", #line),
            ("010-12345678", "+861*****5678", #line),
            ("+1 415 555 2671", "+141****2671", #line),
            ("+44 20 7946 0958", "+442*****0958", #line),
        ]
        for c in cases {
            XCTAssertEqual(try PhoneNumber(parsing: c.input, defaultRegion: "CN").masked, c.masked, line: c.line)
        }
    }

    func testDescriptionRoundTrips() throws {
        for input in ["13800138000", "010-12345678 转 123", "+1 415 555 2671 x7", "+44 20 7946 0958"] {
            let phone = try PhoneNumber(parsing: input, defaultRegion: "CN")
            XCTAssertEqual(try PhoneNumber(parsing: phone.description, defaultRegion: "US"), phone, input)
        }
        XCTAssertEqual(try PhoneNumber(parsing: "010-12345678#5", defaultRegion: "CN").description,
                       "+861012345678 ext. 5")
    }

    func testSpellingsOfOneNumberAreEqual() throws {
        let spellings = ["１３８００１３８０００", "+86 138-0013-8000", "0086 13800138000", "8613800138000",
                         "138 0013 8000"]
        let parsed = try spellings.map { try PhoneNumber(parsing: $0, defaultRegion: "CN") }
        XCTAssertEqual(Set(parsed).count, 1)
    }

    func testExtensionDistinguishesValues() throws {
        let plain = try PhoneNumber(parsing: "010-12345678", defaultRegion: "CN")
        let withExtension = try PhoneNumber(parsing: "010-12345678 ext 1", defaultRegion: "CN")
        XCTAssertNotEqual(plain, withExtension)
        XCTAssertEqual(plain.e164, withExtension.e164)
    }
}
