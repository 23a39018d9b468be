import XCTest
@testable import CustSyncCore

final class NameSimilarityTests: XCTestCase {
    private func score(_ a: String, _ b: String) throws -> Double {
        NameSimilarity.score(try PersonName(parsing: a), try PersonName(parsing: b))
    }

    func testScoreRanges() throws {
        let cases: [(a: String, b: String, range: ClosedRange<Double>, line: UInt)] = [
            // Equal match keys.
            ("Zhang Wei", "Wei Zhang", 1...1, #line),
            ("ZHANG, Wei", "Ｚｈａｎｇ Ｗｅｉ", 1...1, #line),
            ("José", "Jose", 1...1, #line),
            ("张 伟", "张伟", 1...1, #line),
            // One-character typos in long Latin names.
            ("Christopher Johnson", "Christopher Jonson", 0.9...0.999, #line),
            ("Christopher Johnson", "Christopher Johnsen", 0.9...0.999, #line),
            ("Alexander Hamilton", "Alexandre Hamilton", 0.9...0.999, #line),
            ("Margaret Thompson", "Margret Thompson", 0.9...0.999, #line),
            ("Nathan Mathews", "Nathan Oathews", 0.9...0.999, #line),  // typo reorders the sorted tokens
            // Different Latin names.
            ("Zhang Wei", "Li Na", 0...0.7, #line),
            ("Christopher Johnson", "Maria Garcia", 0...0.6, #line),
            // Chinese names sharing only the surname score low.
            ("张伟", "张敏", 0...0.5, #line),
            ("王芳", "王强", 0...0.5, #line),
            ("张小伟", "张小敏", 0...0.65, #line),
            ("张伟", "李伟", 0...0.5, #line),
            ("张伟", "李娜", 0...0, #line),
            ("张伟", "伟张", 0...0.5, #line),
            // A longer transliterated name with one different character stays below a match…
            ("约翰·史密斯", "约翰·史密林", 0.7...0.8, #line),
            // … unless the two characters read alike (an input-method slip, or another
            // rendering of the same foreign name).
            ("约翰·史密斯", "约翰·史密思", 0.9...0.9, #line),
            ("张丽娟", "张丽涓", 0.9...0.9, #line),
            // So does another surname before the same given name of two characters (a misread
            // or mistyped surname: relatives do not share a given name) …
            ("王杰强", "玉杰强", 0.9...0.9, #line),
            ("张杰强", "章杰强", 0.9...0.9, #line),
            // … but not before a one-character given name, which many share.
            ("王强", "玉强", 0...0.5, #line),
            // A homophone surname is another family.
            ("张伟", "章伟", 0...0.5, #line),
            // Pinyin split into other words is the same spelling.
            ("Wei Ying Zhang", "Weiying Zhang", 0.97...1, #line),
            ("Zhang Wei-ying", "Weiying ZHANG", 0.97...1, #line),
            // Different scripts: `score` does not compare them (see `compare`).
            ("张伟", "Zhang Wei", 0...0, #line),
        ]
        for c in cases {
            let s = try score(c.a, c.b)
            XCTAssertTrue(c.range.contains(s), "\(c.a) vs \(c.b): \(s) not in \(c.range)", line: c.line)
            XCTAssertEqual(s, try score(c.b, c.a), accuracy: 1e-12, "not symmetric", line: c.line)
        }
    }

    func testChineseSharedSurnameWellBelowLatinTypo() throws {
        XCTAssertLessThan(try score("张伟", "张敏"), 0.8 - 0.2)
        XCTAssertGreaterThanOrEqual(try score("Christopher Johnson", "Christopher Jonson"), 0.9)
    }

    private func compare(_ a: String, _ b: String) throws -> Double? {
        NameSimilarity.compare(try PersonName(parsing: a), try PersonName(parsing: b))
    }

    func testCrossScriptComparesThroughPinyin() throws {
        let cases: [(a: String, b: String, expected: Double?, line: UInt)] = [
            ("张伟英", "Zhang Weiying", NameSimilarity.samePinyin, #line),
            ("张伟英", "Weiying Zhang", NameSimilarity.samePinyin, #line),
            ("张伟英", "Wei Ying Zhang", NameSimilarity.samePinyin, #line),
            ("张伟英", "ZHANG, Wei-ying", NameSimilarity.samePinyin, #line),
            ("曾小明", "Zeng Xiaoming", NameSimilarity.samePinyin, #line),     // surname reading
            ("欧阳娜娜", "Nana Ouyang", NameSimilarity.samePinyin, #line),      // compound surname
            ("吕芳", "Lu Fang", NameSimilarity.samePinyin, #line),
            // A letter off and no longer pinyin: a misspelling, enough for an own phone.
            ("陈珍明", "Zhenmign Chen", NameSimilarity.misspelledPinyin, #line),
            ("陈珍明", "zhen mign chen", NameSimilarity.misspelledPinyin, #line),
            ("李萍", "Pnig Li", NameSimilarity.misspelledPinyin, #line),
            ("刘伟波", "Lui Weibo", NameSimilarity.misspelledPinyin, #line),
            ("王伟", "Wong Wei", NameSimilarity.misspelledPinyin, #line),         // Cantonese spelling
            // A near spelling that is pinyin may be another name's: below a phone match, but
            // it counts for an e-mail.
            ("陈珍明", "Zhenmin Chen", 0.85 * NameSimilarity.jaroWinkler(Array("chenzhenming"), Array("chenzhenmin")), #line),
            ("张兵", "Zhang Ping", 0.85 * NameSimilarity.jaroWinkler(Array("zhangbing"), Array("zhangping")), #line),
            // Unrelated: no evidence either way (a person may go by an English name).
            ("徐凤丽", "Flora Xu", nil, #line),
            ("张伟", "Wei", nil, #line),
            // Same script: `score`.
            ("张伟", "张伟", 1, #line),
        ]
        for c in cases {
            let forward = try compare(c.a, c.b), backward = try compare(c.b, c.a)
            XCTAssertEqual(forward, backward, "not symmetric", line: c.line)
            switch (forward, c.expected) {
            case (nil, nil): break
            case let (got?, expected?): XCTAssertEqual(got, expected, accuracy: 1e-9, "\(c.a) vs \(c.b)", line: c.line)
            default: XCTFail("\(c.a) vs \(c.b): \(String(describing: forward)), expected \(String(describing: c.expected))", line: c.line)
            }
        }
    }

    func testSurnameWithAFormOfAddress() throws {
        XCTAssertEqual(try PersonName(parsing: "胡女士").titledSurname, "胡")
        XCTAssertEqual(try PersonName(parsing: "欧阳先生").titledSurname, "欧阳")
        XCTAssertNil(try PersonName(parsing: "胡林杰").titledSurname)
        XCTAssertNil(try PersonName(parsing: "Mr Hu").titledSurname)
        XCTAssertEqual(try compare("胡女士", "胡林杰"), NameSimilarity.titledMatch)
        XCTAssertEqual(try compare("胡林杰", "胡女士"), NameSimilarity.titledMatch)
        XCTAssertEqual(try compare("胡女士", "Linjie Hu"), NameSimilarity.titledMatch)
        XCTAssertEqual(try compare("胡女士", "胡女士"), NameSimilarity.titledMatch)
        XCTAssertNil(try compare("胡女士", "胡小姐"))
        XCTAssertEqual(try compare("胡女士", "王林杰"), 0)
        XCTAssertEqual(try compare("胡女士", "王女士"), 0)
        XCTAssertNil(try compare("胡女士", "Linjie Wang"))
        // A full name with a form of address is that full name, not a two-character surname.
        XCTAssertNil(try PersonName(parsing: "张伟先生").titledSurname)
        XCTAssertEqual(try compare("张伟先生", "张伟"), 1)
        XCTAssertEqual(try compare("张伟先生", "Wei Zhang"), NameSimilarity.samePinyin)
        XCTAssertLessThan(try XCTUnwrap(try compare("张伟先生", "张伟明")), NameSimilarity.titledMatch)
        XCTAssertEqual(try compare("欧阳先生", "欧阳娜娜"), NameSimilarity.titledMatch)
        // The same in Latin script: `Mr.` before a full name is not a third name.
        XCTAssertEqual(try compare("Mr. Zhang Wei", "Wei Zhang"), 1)
        XCTAssertEqual(try compare("Mr. Zhang Wei", "张伟"), NameSimilarity.samePinyin)
    }

    func testTheGroundsOfAMatch() throws {
        let cases: [(a: String, b: String, expected: String, line: UInt)] = [
            ("张伟", "张 伟", "1.00 (same name)", #line),
            ("王杰强", "玉杰强", "0.90 (surname slip)", #line),
            ("张丽娟", "张丽涓", "0.90 (homophone)", #line),
            ("张伟英", "Weiying Zhang", "0.92 (same pinyin)", #line),
            ("李萍", "Pnig Li", "0.88 (misspelled pinyin)", #line),
            ("胡女士", "胡林杰", "0.88 (surname and form of address)", #line),
            ("Wei Ying Zhang", "Weiying Zhang", "0.97 (split)", #line),
            ("张伟", "张敏", "0.44", #line),
        ]
        for c in cases {
            let match = try XCTUnwrap(NameSimilarity.match(try PersonName(parsing: c.a), try PersonName(parsing: c.b)))
            XCTAssertEqual(match.description, c.expected, "\(c.a) vs \(c.b)", line: c.line)
        }
    }

    func testPinyinSpelling() {
        for word in ["zhangwei", "xian", "lyu", "lv", "ouyang", "shuang", "er"] {
            XCTAssertTrue(PinyinSyllables.spell(word), word)
        }
        for word in ["pnig", "xiujnig", "zhagn", "lui", "wong", "thomas", "cheung", ""] {
            XCTAssertFalse(PinyinSyllables.spell(word), word)
        }
    }

    func testOneSlipApart() {
        let cases: [(a: String, b: String, expected: Bool)] = [
            ("ping", "pnig", true),     // swapped
            ("liuweibo", "luiweibo", true),
            ("luoli", "lboli", true),   // replaced
            ("wuguang", "wuguan", true), // dropped
            ("wuguang", "wugguang", true), // added
            ("ping", "ping", false),
            ("ping", "pgni", false),    // two apart
            ("zhang", "zahng", true),
            ("zhang", "hzagn", false),
        ]
        for c in cases {
            XCTAssertEqual(MisspelledPinyin.oneSlipApart(Array(c.a), Array(c.b)), c.expected, "\(c.a) vs \(c.b)")
            XCTAssertEqual(MisspelledPinyin.oneSlipApart(Array(c.b), Array(c.a)), c.expected, "\(c.b) vs \(c.a)")
        }
    }

    func testJaroWinklerReferenceValues() {
        let cases: [(a: String, b: String, expected: Double, line: UInt)] = [
            ("martha", "marhta", 0.9611, #line),
            ("dwayne", "duane", 0.84, #line),
            ("dixon", "dicksonx", 0.8133, #line),
            ("abc", "abc", 1, #line),
            ("abc", "xyz", 0, #line),
            ("", "", 1, #line),
            ("a", "", 0, #line),
        ]
        for c in cases {
            XCTAssertEqual(NameSimilarity.jaroWinkler(Array(c.a), Array(c.b)), c.expected, accuracy: 0.0001,
                           "\(c.a) vs \(c.b)", line: c.line)
        }
    }
}
