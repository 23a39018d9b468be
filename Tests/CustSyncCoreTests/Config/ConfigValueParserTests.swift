import XCTest
@testable import CustSyncCore

final class ConfigValueParserTests: XCTestCase {
    func testDurations() throws {
        let cases: [(String, TimeInterval)] = [
            ("500ms", 0.5), ("30s", 30), ("5min", 300), ("2h", 7200), ("1d", 86400), ("1w", 604_800),
            ("1min 30s", 90), ("1h30min", 5400), ("1 min 30 s", 90), ("90", 90), ("0", 0), ("1.5h", 5400),
            ("2 hours", 7200), ("10 seconds", 10), (" 4s ", 4), ("1m", 60), ("250us", 0.00025), ("1min 30", 90),
        ]
        for (text, expected) in cases {
            XCTAssertEqual(try ConfigValueParser.duration(text), expected, accuracy: 1e-9, text)
        }
    }

    func testInvalidDurations() {
        for text in ["", "5 parsecs", "-5s", "s", "1.2.3s", "abc", "5 min x", "1e3s"] {
            XCTAssertThrowsError(try ConfigValueParser.duration(text), text) { error in
                XCTAssertEqual((error as? ConfigValueError)?.message, "\"\(text)\" is not a duration (use e.g. 30s, 5min, 1h)")
            }
        }
    }

    func testDurationsAreAtMostTenYears() throws {
        XCTAssertEqual(try ConfigValueParser.duration("3650d"), 315_360_000)
        // "9"×30 (Tests/Fuzz/regressions/ini) was accepted as 1e30 s, it trapped
        // when formatted into the BackoffMax message and would have trapped when handed to curl.
        for text in ["3650d 1s", "522w", String(repeating: "9", count: 30)] {
            XCTAssertThrowsError(try ConfigValueParser.duration(text), text) { error in
                XCTAssertEqual((error as? ConfigValueError)?.message,
                               "\"\(text)\" is too long: a duration is at most 3650d (ten years; use e.g. 1d or 1w)")
            }
        }
    }

    func testFormatDuration() {
        XCTAssertEqual(ConfigValueParser.formatDuration(90), "1min 30s")
        XCTAssertEqual(ConfigValueParser.formatDuration(0.5), "500ms")
        XCTAssertEqual(ConfigValueParser.formatDuration(0), "0")
        XCTAssertEqual(ConfigValueParser.formatDuration(90061), "1d 1h 1min 1s")
    }

    func testBooleans() throws {
        for text in ["yes", "true", "on", "1", "YES", "True", " on "] {
            XCTAssertTrue(try ConfigValueParser.bool(text), text)
        }
        for text in ["no", "false", "off", "0", "No", "OFF"] {
            XCTAssertFalse(try ConfigValueParser.bool(text), text)
        }
        for text in ["", "maybe", "2", "y es"] {
            XCTAssertThrowsError(try ConfigValueParser.bool(text), text)
        }
    }

    func testIntegersAndScores() throws {
        XCTAssertEqual(try ConfigValueParser.positiveInteger("1000"), 1000)
        XCTAssertEqual(try ConfigValueParser.positiveInteger("100000", in: 1...100_000), 100_000)
        XCTAssertThrowsError(try ConfigValueParser.positiveInteger("0"))
        XCTAssertThrowsError(try ConfigValueParser.positiveInteger("-3"))
        XCTAssertThrowsError(try ConfigValueParser.positiveInteger("1.5"))
        XCTAssertThrowsError(try ConfigValueParser.positiveInteger("99999999999999999999999"))
        XCTAssertThrowsError(try ConfigValueParser.positiveInteger("100001", in: 1...100_000)) { error in
            XCTAssertEqual((error as? ConfigValueError)?.message, "100001 is out of range (use a whole number from 1 to 100000)")
        }
        XCTAssertEqual(try ConfigValueParser.score("0.92"), 0.92)
        XCTAssertEqual(try ConfigValueParser.score("1"), 1)
        XCTAssertEqual(try ConfigValueParser.score("0"), 0)
        for text in ["1.5", "-0.1", "abc", "nan", "inf", ""] {
            XCTAssertThrowsError(try ConfigValueParser.score(text), text)
        }
    }

    func testWordsAndRegion() throws {
        XCTAssertEqual(try ConfigValueParser.words("  a\tb   c "), ["a", "b", "c"])
        XCTAssertEqual(try ConfigValueParser.words(""), [])
        XCTAssertEqual(try ConfigValueParser.regionCode("hk"), "HK")
        XCTAssertThrowsError(try ConfigValueParser.regionCode("CHN"))
    }

    func testCommandLines() throws {
        let cases: [(String, [String])] = [
            ("/bin/echo hello world", ["/bin/echo", "hello", "world"]),
            ("prog 'single quoted' \"double quoted\"", ["prog", "single quoted", "double quoted"]),
            ("prog --name=\"A B\" x", ["prog", "--name=A B", "x"]),
            ("prog \"say \\\"hi\\\"\" 'it''s'", ["prog", "say \"hi\"", "its"]),
            ("prog a\\ b c\\\\d", ["prog", "a b", "c\\d"]),
            ("prog '' \"\"", ["prog", "", ""]),
            ("prog '\\n' \"\\n\"", ["prog", "\\n", "\\n"]),
            ("  prog   \t  x  ", ["prog", "x"]),
        ]
        for (text, expected) in cases {
            XCTAssertEqual(try ConfigValueParser.commandLine(text), expected, text)
        }
        for text in ["", "   ", "prog 'open", "prog \"open", "prog \\", "'' x"] {
            XCTAssertThrowsError(try ConfigValueParser.commandLine(text), text)
        }
    }

    func testPaths() throws {
        XCTAssertEqual(try ConfigValueParser.path("data", relativeTo: "/etc/custsync"), "/etc/custsync/data")
        XCTAssertEqual(try ConfigValueParser.path("../data/./x", relativeTo: "/etc/custsync"), "/etc/data/x")
        XCTAssertEqual(try ConfigValueParser.path("/var//lib/", relativeTo: "/etc"), "/var/lib")
        XCTAssertThrowsError(try ConfigValueParser.path("~/x", relativeTo: "/etc"))
        XCTAssertEqual(ConfigValueParser.normalize("a/../../b"), "../b")
        XCTAssertEqual(ConfigValueParser.normalize("/.."), "/")
        XCTAssertEqual(ConfigValueParser.directory(of: "etc/a.conf"), "etc")
        XCTAssertEqual(ConfigValueParser.directory(of: "a.conf"), "")
        XCTAssertEqual(ConfigValueParser.directory(of: "/a.conf"), "/")
    }

    func testCodeTemplates() throws {
        XCTAssertEqual(CodeSettings().segments, try CodeSettings.parse(template: "KH-{seq:7}"))
        XCTAssertEqual(CodeSettings().sequenceWidth, 7)
        XCTAssertEqual(try CodeSettings.parse(template: "C{region}-{customer_type}-{seq}{check}"), [
            .literal("C"), .field(.region), .literal("-"), .field(.customerType), .literal("-"),
            .sequence(width: nil), .check,
        ])
        let invalid: [(String, String)] = [
            ("KH-", "no sequence placeholder"),
            ("{seq}{seq:3}", "more than one sequence"),
            ("{seq:0}", "width must be a number from 1 to 12"),
            ("{seq:13}", "width must be a number from 1 to 12"),
            ("{seq:x}", "width must be a number from 1 to 12"),
            ("{seq}{check}{check}", "more than one {check}"),
            ("KH-{id}-{seq}", "unknown placeholder {id}"),
            ("KH-{email}-{seq}", "unknown placeholder {email}"),
            ("KH-{seq", "without a closing"),
            ("KH}-{seq}", "without a matching"),
            ("KH {seq}", "whitespace"),
            ("", "empty"),
        ]
        for (template, fragment) in invalid {
            XCTAssertThrowsError(try CodeSettings.parse(template: template), template) { error in
                let message = (error as? ConfigValueError)?.message ?? ""
                XCTAssertTrue(message.contains(fragment), "\(template): \(message)")
            }
        }
    }

    func testChoiceSuggestsCloseSpelling() {
        XCTAssertThrowsError(try ConfigValueParser.choice("newst", of: FieldPolicy.names, what: "policy")) { error in
            XCTAssertEqual((error as? ConfigValueError)?.message,
                           "\"newst\" is not a policy (use one of source-priority, newest, most-complete, keep-first, manual; did you mean newest?)")
        }
    }

    func testUnknownMappingTargetSaysWhatIsValid() {
        let targets = ["name", "phone", "email"]
        XCTAssertEqual(ConfigValueParser.unknownMappingTarget("", targets: targets),
                       "maps to nothing (write a target after \"=\": one of name, phone, email)")
        XCTAssertEqual(ConfigValueParser.unknownMappingTarget("phon", targets: targets),
                       "unknown target \"phon\" (valid targets: name, phone, email; did you mean phone?)")
        XCTAssertEqual(ConfigValueParser.unknownMappingTarget("customer", targets: targets),
                       "unknown target \"customer\" (valid targets: name, phone, email)")
    }

    func testByteSizes() throws {
        XCTAssertEqual(try ConfigValueParser.byteSize("65536"), 65_536)
        XCTAssertEqual(try ConfigValueParser.byteSize("1M"), 1 << 20)
        XCTAssertEqual(try ConfigValueParser.byteSize("512 KiB"), 512 << 10)
        XCTAssertEqual(try ConfigValueParser.byteSize("2g"), 2 << 30)
        XCTAssertEqual(try ConfigValueParser.byteSize("10MB"), 10 << 20)
        XCTAssertEqual(try ConfigValueParser.byteSize("0"), 0)
        for bad in ["1.5M", "M", "", "12 parsecs", "-1K"] {
            XCTAssertThrowsError(try ConfigValueParser.byteSize(bad), bad)
        }
        XCTAssertThrowsError(try ConfigValueParser.byteSize("99999999999G"))
        XCTAssertThrowsError(try ConfigValueParser.byteSize("0", in: 1...10, hint: "use 1 to 10")) { error in
            XCTAssertEqual((error as? ConfigValueError)?.message, "0 is out of range (use 1 to 10)")
        }
    }
}
