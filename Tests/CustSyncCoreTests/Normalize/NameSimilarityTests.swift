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
            // A longer transliterated name with one different character stays below a match.
            ("约翰·史密斯", "约翰·史密思", 0.7...0.8, #line),
            // Different scripts cannot be compared.
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
