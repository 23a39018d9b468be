import XCTest
@testable import CustSyncCore

final class PersonNameTests: XCTestCase {
    func testParsing() {
        let cases: [(input: String, display: String, matchKey: String, isCJK: Bool, line: UInt)] = [
            ("张伟", "张伟", "张伟", true, #line),
            ("张 伟", "张伟", "张伟", true, #line),
            ("  张　伟 ", "张伟", "张伟", true, #line),
            ("欧阳 娜娜", "欧阳娜娜", "欧阳娜娜", true, #line),
            ("约翰·史密斯", "约翰·史密斯", "约翰史密斯", true, #line),
            ("约翰 ・ 史密斯", "约翰·史密斯", "约翰史密斯", true, #line),
            ("约翰.史密斯", "约翰·史密斯", "约翰史密斯", true, #line),
            ("山田 太郎", "山田太郎", "山田太郎", true, #line),
            ("ﾔﾏﾀﾞ ﾀﾛｳ", "ヤマダタロウ", "ヤマダタロウ", true, #line),
            ("김 민수", "김민수", "김민수", true, #line),
            // A form of address after a full name is not part of it; after a surname alone it
            // is all there is (`titledSurname`).
            ("张伟先生", "张伟先生", "张伟", true, #line),
            ("张 伟 女士", "张伟女士", "张伟", true, #line),
            ("欧阳娜娜小姐", "欧阳娜娜小姐", "欧阳娜娜", true, #line),
            ("胡女士", "胡女士", "胡女士", true, #line),
            ("欧阳先生", "欧阳先生", "欧阳先生", true, #line),
            ("Zhang Wei", "Zhang Wei", "wei zhang", false, #line),
            ("  Zhang   Wei ", "Zhang Wei", "wei zhang", false, #line),
            ("Ｚｈａｎｇ Ｗｅｉ", "Zhang Wei", "wei zhang", false, #line),
            ("Ｚｈａｎｇ　Ｗｅｉ", "Zhang Wei", "wei zhang", false, #line),
            ("Wei Zhang", "Wei Zhang", "wei zhang", false, #line),
            ("ZHANG, Wei", "ZHANG, Wei", "wei zhang", false, #line),
            // A form of address before a full name is not part of it; before a surname alone
            // it stays.
            ("Mr. Zhang Wei", "Mr. Zhang Wei", "wei zhang", false, #line),
            ("DR Emma Lee", "DR Emma Lee", "emma lee", false, #line),
            ("Mrs Zhang", "Mrs Zhang", "mrs zhang", false, #line),
            ("José", "José", "jose", false, #line),
            ("Jose\u{0301}", "José", "jose", false, #line),
            ("JOSÉ GARCÍA", "JOSÉ GARCÍA", "garcia jose", false, #line),
            ("Zoë Brontë-Smith", "Zoë Brontë-Smith", "bronte smith zoe", false, #line),
            ("Jean-Pierre Dupont", "Jean-Pierre Dupont", "dupont jean pierre", false, #line),
            ("O'Brien, Seán", "O'Brien, Seán", "obrien sean", false, #line),
            ("O’Brien Sean", "O’Brien Sean", "obrien sean", false, #line),
            ("Günter Strauß", "Günter Strauß", "gunter strauss", false, #line),
            ("Søren Kierkegaard", "Søren Kierkegaard", "kierkegaard soren", false, #line),
            ("Łukasz Żółć", "Łukasz Żółć", "lukasz zolc", false, #line),
            ("J. R. Smith", "J. R. Smith", "j r smith", false, #line),
            ("Wei\u{200B} Zhang", "Wei Zhang", "wei zhang", false, #line),
            ("张 Wei", "张 Wei", "wei 张", false, #line),
            ("Zhang 伟", "Zhang 伟", "zhang 伟", false, #line),
        ]
        for c in cases {
            do {
                let name = try PersonName(parsing: c.input)
                XCTAssertEqual(name.display, c.display, "input \(c.input)", line: c.line)
                XCTAssertEqual(name.matchKey, c.matchKey, "input \(c.input)", line: c.line)
                XCTAssertEqual(name.isCJK, c.isCJK, "input \(c.input)", line: c.line)
            } catch {
                XCTFail("\(c.input): unexpected error \(error.message)", line: c.line)
            }
        }
    }

    func testInvalidNames() {
        let cases: [(input: String, message: String, line: UInt)] = [
            ("", "name is empty", #line),
            ("   ", "name is empty", #line),
            ("\u{3000}\u{200B}", "name is empty", #line),
            ("12345", "\"12345\" is not a name (no letters)", #line),
            ("１２３", "\"123\" is not a name (no letters)", #line),
            ("- / -", "\"- / -\" is not a name (no letters)", #line),
            ("?", "\"?\" is not a name (no letters)", #line),
        ]
        for c in cases {
            do {
                let name = try PersonName(parsing: c.input)
                XCTFail("\(c.input): expected an error, got \(name.display)", line: c.line)
            } catch {
                XCTAssertEqual(error.field, .name, line: c.line)
                XCTAssertEqual(error.message, c.message, line: c.line)
            }
        }
    }

    func testEquivalentSpellingsShareAMatchKey() throws {
        let groups: [[String]] = [
            ["Wei Zhang", "Zhang Wei", "ZHANG, Wei", "  zhang   wei ", "Ｚｈａｎｇ Ｗｅｉ"],
            ["张伟", "张 伟", "张　伟", "\u{200B}张伟"],
            ["José", "Jose", "JOSE", "jose\u{0301}"],
        ]
        for group in groups {
            let keys = try Set(group.map { try PersonName(parsing: $0).matchKey })
            XCTAssertEqual(keys.count, 1, "\(group) gave \(keys)")
        }
        XCTAssertNotEqual(try PersonName(parsing: "张伟").matchKey, try PersonName(parsing: "伟张").matchKey)
    }
}
