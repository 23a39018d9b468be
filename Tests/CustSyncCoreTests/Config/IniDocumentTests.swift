import XCTest
import CustSyncCore

final class IniDocumentTests: XCTestCase {
    private func parse(_ text: String) -> (IniDocument, [ConfigError]) {
        IniDocument.parse(text, file: "test.conf")
    }

    func testSectionsEntriesAndLineNumbers() {
        let (document, errors) = parse("""
            # comment
            ; another comment

            [Daemon]
              LogLevel = debug  
            BatchSize=10
            [Field email]
            Policy=newest
            [Tag "price sensitive"]
            """)
        XCTAssertEqual(errors, [])
        XCTAssertEqual(document.sections.map(\.name), ["Daemon", "Field", "Tag"])
        XCTAssertEqual(document.sections.map(\.argument), [nil, "email", "price sensitive"])
        XCTAssertEqual(document.sections.map(\.line), [4, 7, 9])
        XCTAssertEqual(document.sections[0].entries, [
            IniEntry(key: "LogLevel", value: "debug", line: 5),
            IniEntry(key: "BatchSize", value: "10", line: 6),
        ])
        XCTAssertEqual(document.sections[1].header, "[Field email]")
    }

    func testTableOfValidInputs() {
        // (text, expected key, expected value, expected line)
        let cases: [(String, String, String, Int)] = [
            ("[S]\nKey=Value", "Key", "Value", 2),
            ("[S]\nKey = spaced value ", "Key", "spaced value", 2),
            ("[S]\nKey=a=b=c", "Key", "a=b=c", 2),
            ("[S]\nKey=", "Key", "", 2),
            ("[S]\nKey=one \\\n  two", "Key", "one two", 2),
            ("[S]\nKey=one\\\n# skipped comment\n two \\\n three", "Key", "one two three", 2),
            ("[S]\n\nKey=x # not a comment", "Key", "x # not a comment", 3),
            ("[S]\r\nKey=crlf\r\n", "Key", "crlf", 2),
            ("\u{FEFF}[S]\nKey=bom", "Key", "bom", 2),
            // Only LF and CR LF end lines (as editors and grep -n count them).
            ("[S]\n# page\u{0C}break\nKey=ff", "Key", "ff", 3),
            ("[S]\n\u{0C}\nKey=ff-alone", "Key", "ff-alone", 3),
            ("[S]\n# tab\u{0B}stop\nKey=vt", "Key", "vt", 3),
            ("[S]\n# pasted\u{2028}text\nKey=ls", "Key", "ls", 3),
            ("[S]\n# old\u{85}mac\nKey=nel", "Key", "nel", 3),
            ("[S]\r\r\nKey=stray-cr\r\n", "Key", "stray-cr", 2),
            ("[S]\n\"Customer Name\" = name", "Customer Name", "name", 2),
            ("[S]\n\"a\\\"b=c\"=d", "a\"b=c", "d", 2),
            ("[S]\n客户名称=name", "客户名称", "name", 2),
            ("[S]\ncustomer.emails[0]=email", "customer.emails[0]", "email", 2),
        ]
        for (text, key, value, line) in cases {
            let (document, errors) = parse(text)
            XCTAssertEqual(errors, [], "\(text.debugDescription)")
            XCTAssertEqual(document.sections.first?.entries, [IniEntry(key: key, value: value, line: line)], "\(text.debugDescription)")
        }
    }

    func testContinuationEndsAtBlankLine() {
        let (document, errors) = parse("[S]\nA=one \\\n\nB=two")
        XCTAssertEqual(errors, [])
        XCTAssertEqual(document.sections[0].entries, [
            IniEntry(key: "A", value: "one", line: 2),
            IniEntry(key: "B", value: "two", line: 4),
        ])
    }

    func testRepeatedKeysAndSectionsAreKept() {
        let (document, errors) = parse("[S]\nA=1\nA=2\nA=\n[S]\nA=3")
        XCTAssertEqual(errors, [])
        XCTAssertEqual(document.sections(named: "S").count, 2)
        XCTAssertEqual(document.sections[0].entries(for: "A").map(\.value), ["1", "2", ""])
        XCTAssertNil(document.sections[0].value(for: "A"), "an empty value resets")
        XCTAssertEqual(document.sections[1].value(for: "A"), "3")
    }

    func testSyntaxErrorPositions() {
        // (text, expected line, expected key, fragment of the message)
        let cases: [(String, Int, String?, String)] = [
            ("[S]\nA=1\njust words", 3, nil, "is not a setting"),
            ("[Daemon\nA=1", 1, nil, "no closing \"]\""),
            ("A=1\n[S]", 1, "A", "before any [Section]"),
            ("[S]\n\nBad Key=1", 3, "Bad Key", "contains a space"),
            ("[S]\nKey!=1", 2, "Key!", "contains \"!\""),
            ("[S]\n=value", 2, nil, "no key"),
            ("[]\n", 1, nil, "has no name"),
            ("[S]junk\n", 1, nil, "unexpected text \"junk\""),
            ("[S]\n\"open=1", 2, nil, "no closing double quote"),
            ("[Bad.Name]\n", 1, nil, "section name"),
        ]
        for (text, line, key, fragment) in cases {
            let (_, errors) = parse(text)
            XCTAssertEqual(errors.count, 1, "\(text.debugDescription): \(errors)")
            XCTAssertEqual(errors.first?.file, "test.conf")
            XCTAssertEqual(errors.first?.line, line, "\(text.debugDescription)")
            XCTAssertEqual(errors.first?.key, key, "\(text.debugDescription)")
            XCTAssertTrue(errors.first?.message.contains(fragment) == true, "\(errors.first?.message ?? "") lacks \(fragment)")
        }
    }

    func testCollectsAllErrorsAndSkipsBrokenSections() {
        let (document, errors) = parse("""
            [Good]
            A=1
            oops
            [Broken
            B=2
            [Good2]
            C=3
            more oops
            """)
        XCTAssertEqual(errors.map(\.line), [3, 4, 8])
        XCTAssertEqual(document.sections.map(\.name), ["Good", "Good2"])
        XCTAssertEqual(document.sections[1].entries.map(\.key), ["C"])
    }

    func testThrowingInitializerAndErrorDescription() {
        XCTAssertThrowsError(try IniDocument(parsing: "[S]\nnope\nnope", file: "etc/x.conf")) { error in
            guard let errors = error as? ConfigurationErrors else { return XCTFail("\(error)") }
            XCTAssertEqual(errors.errors.count, 2)
            XCTAssertEqual(errors.description.split(separator: "\n").count, 2)
            XCTAssertTrue(errors.description.hasPrefix("etc/x.conf:2: "))
        }
    }

    func testConfigErrorDescriptionFormat() {
        XCTAssertEqual(ConfigError(file: "etc/custsyncd.conf", line: 12, key: "Interval",
                                   message: "\"5 parsecs\" is not a duration (use e.g. 30s, 5min, 1h)").description,
                       "etc/custsyncd.conf:12: Interval: \"5 parsecs\" is not a duration (use e.g. 30s, 5min, 1h)")
        XCTAssertEqual(ConfigError(file: "a.conf", line: 3, message: "m").description, "a.conf:3: m")
        XCTAssertEqual(ConfigError(file: "a.conf", key: "K", message: "m").description, "a.conf: K: m")
        XCTAssertEqual(ConfigError(file: "a.conf", message: "m").description, "a.conf: m")
    }

    func testSectionReaderSemantics() {
        let section = IniSection(name: "S", line: 1, entries: [
            IniEntry(key: "Single", value: "1", line: 2),
            IniEntry(key: "Single", value: "2", line: 3),
            IniEntry(key: "List", value: "a b", line: 4),
            IniEntry(key: "List", value: "", line: 5),
            IniEntry(key: "List", value: "c", line: 6),
            IniEntry(key: "List", value: "d e", line: 7),
            IniEntry(key: "Reset", value: "x", line: 8),
            IniEntry(key: "Reset", value: "", line: 9),
            IniEntry(key: "Bad", value: "zz", line: 10),
        ])
        var reader = IniSectionReader(file: "f.conf", section: section)
        XCTAssertEqual(reader.value("Single") { text throws(ConfigValueError) in try ConfigValueParser.positiveInteger(text) }, 2)
        XCTAssertEqual(reader.list("List", ConfigValueParser.words), ["c", "d", "e"])
        XCTAssertNil(reader.last("Reset"))
        XCTAssertNil(reader.value("Missing", ConfigValueParser.bool))
        XCTAssertEqual(reader.errors, [])
        XCTAssertNil(reader.value("Bad", ConfigValueParser.bool))
        XCTAssertEqual(reader.errors, [ConfigError(file: "f.conf", line: 10, key: "Bad", message: "\"zz\" is not a boolean (use yes or no)")])
    }
}
