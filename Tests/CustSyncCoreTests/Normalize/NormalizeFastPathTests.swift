import Foundation
import XCTest
@testable import CustSyncCore

/// The normalizers take shortcuts for the usual input (plain ASCII, CJK): these tests check
/// that each shortcut gives exactly what the general path gives.
final class NormalizeFastPathTests: XCTestCase {
    /// Deterministic strings over `alphabet` (pieces of one or more characters).
    private func generated(_ count: Int, from alphabet: [String], maxPieces: Int = 12,
                           seed: UInt64 = 0x2545_F491_4F6C_DD1D) -> [String] {
        var state = seed
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        return (0..<count).map { _ in (0..<next(maxPieces + 1)).map { _ in alphabet[next(alphabet.count)] }.joined() }
    }

    // MARK: - TextFolding

    func testStableScalarsAreTheirOwnNFKC() {
        let ranges: [ClosedRange<UInt32>] = [0x00...0x7F, 0x3000...0x30FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
                                             0xAC00...0xD7A3]
        var stable = 0
        for value in ranges.joined() {
            guard let scalar = Unicode.Scalar(value), TextFolding.isNFKCStable(scalar) else { continue }
            stable += 1
            let text = String(scalar)
            XCTAssertEqual(text.precomposedStringWithCompatibilityMapping.unicodeScalars.map(\.value), [value],
                           "U+\(String(value, radix: 16))")
            XCTAssertEqual(scalar.properties.canonicalCombiningClass, .notReordered, "U+\(String(value, radix: 16))")
            XCTAssertFalse(TextFolding.isZeroWidth(scalar))
            // `work(for:)` relies on this: the only whitespace among stable scalars is ASCII \t…\r and " ".
            XCTAssertEqual(scalar.properties.isWhitespace, value == 0x20 || (0x09...0x0D).contains(value),
                           "U+\(String(value, radix: 16))")
        }
        XCTAssertGreaterThan(stable, 39_000)
    }

    func testNoStableScalarIsTheSecondPartOfAComposition() {
        // Compositions (the C in NFKC) join a character with a following one that appears,
        // in some character's canonical decomposition, after the first scalar.
        for value in UInt32(0xC0)...0x2FFFF {
            guard let scalar = Unicode.Scalar(value) else { continue }
            let decomposed = String(scalar).decomposedStringWithCanonicalMapping.unicodeScalars
            for part in decomposed.dropFirst() where TextFolding.isNFKCStable(part) {
                XCTFail("U+\(String(value, radix: 16)) decomposes to a stable U+\(String(part.value, radix: 16))")
            }
        }
    }

    func testFoldShortcutsAgreeWithFullPath() {
        let table = ["", " ", "  ", "a", " a", "a ", "a  b", "a b", "a\tb", "a\nb", "a\r\nb", "\u{0B}x\u{0C}",
                     "Customer 12345", "c12345@example.com", "Acme Trading Co., Ltd.", "\u{1F}\u{7F}\u{00}",
                     "张伟", "北京市朝阳区建国路88号", "张 伟", " 山田 太郎 ", "カタカナ", "ひらがな", "김민수", "、。",
                     "ヴ", "か\u{3099}", "ｶﾀｶﾅ", "\u{3000}上海", "zero\u{200B}width", "Cafe\u{0301}", "가\u{11A8}",
                     "\u{1100}\u{1161}", "ﬁne", "ＡＢＣ"]
        let alphabet = ["a", "Z", "1", " ", "  ", "\t", "\n", "\r\n", ".", "张", "伟", "か", "\u{3099}", "ヴ", "가",
                        "\u{11A8}", "\u{1161}", "\u{3000}", "\u{00A0}", "\u{200B}", "\u{0301}", "ｶ", "ﾞ", "、", "。"]
        for s in table + generated(3000, from: alphabet) {
            let expected = TextFolding.collapseWhitespace(TextFolding.nfkc(TextFolding.removingZeroWidth(s)))
            XCTAssertEqual(TextFolding.fold(s), expected, "input \(s.debugDescription)")
        }
        XCTAssertEqual(TextFolding.work(for: "Customer 12345"), .nothing)
        XCTAssertEqual(TextFolding.work(for: "张伟"), .nothing)
        XCTAssertEqual(TextFolding.work(for: " 张伟"), .whitespace)
        XCTAssertEqual(TextFolding.work(for: "a\tb"), .whitespace)
        XCTAssertEqual(TextFolding.work(for: "ｶ"), .full)
    }

    // MARK: - EmailAddress

    func testSimpleEmailPartsAgreeWithGeneralPath() {
        let table = ["c12345@example.com", "Zhang.Wei@Example.COM", "user_1@mail.example.com.cn", "a@b.cn",
                     "o'brien@example.ie", "z.w+a+b@fastmail.com", "+shop@gmail.com", "user@xn--fsqu00a.xn--fiqs8s",
                     "a@b", "a@b.", "a@b.c.", ".a@c.com", "a.@c.com", "a..b@c.com", "a@.com", "a@b..com", "a@-b.com",
                     "a@b-.com", "a@b_c.com", "a@1.2.3.4", "a@1.2.x4", "@x.com", "foo@", "foo", "a@b@c.com",
                     "<zw@example.com>", "mailto:zw@example.com", "MAILTO:ZW@EXAMPLE.COM?x", "a:b@c.com", "a,b@c.com",
                     "a b@c.com", " a@b.com", "a@b.com ", "!#$%&'*+/=?^_`{|}~-@x.io",
                     String(repeating: "a", count: 64) + "@c.com", String(repeating: "a", count: 65) + "@c.com",
                     "a@" + String(repeating: "b", count: 63) + ".com", "a@" + String(repeating: "b", count: 64) + ".com"]
        let locals = generated(3000, from: ["a", "Z", "0", "9", "a", "Z", "0", "9", ".", "-", "_", "+", "'", "!", "?",
                                            ":", "<", "é", " "], maxPieces: 6, seed: 1)
        let labels = generated(3000, from: ["a", "Z", "0", "9", "a", "Z", "0", "9", "xn--", "-", ".", "_", "。"],
                               maxPieces: 6, seed: 2)
        let tlds = generated(3000, from: ["com", "cn", "a", "1", "com", "cn", "a", "1", "-", ".", " ", ">"],
                             maxPieces: 2, seed: 3)
        let generatedAddresses = (0..<3000).map { "\(locals[$0])@\(labels[$0]).\(tlds[$0])" }
        var fast = 0
        for raw in table + generatedAddresses {
            guard let simple = EmailAddress.simpleParts(raw) else { continue }
            fast += 1
            do {
                let general = try EmailAddress.parts(parsing: raw, quoted: QuotedInput(raw))
                XCTAssertEqual(simple.local, general.local, "input \(raw)")
                XCTAssertEqual(simple.domain, general.domain, "input \(raw)")
            } catch {
                XCTFail("\(raw): fast path accepted what the general path rejects: \(error.message)")
            }
        }
        XCTAssertGreaterThan(fast, 50)
        for raw in ["c12345@example.com", "Zhang.Wei@Example.COM", "zhang.wei+shop@gmail.com"] {
            XCTAssertNotNil(EmailAddress.simpleParts(raw), "\(raw) should take the fast path")
        }
    }

    // MARK: - PhoneNumber

    private func outcome<T>(_ body: () throws(NormalizationError) -> T) -> String {
        do { return "\(try body())" } catch { return "error: \(error.message)" }
    }

    func testASCIIPhoneScanningAgreesWithGeneralPath() {
        let table = ["13900001234", "+86 138-0013-8000", "0755-88881234", "010-12345678 ext. 123", "010-12345678 ext 123",
                     "010-12345678x123", "010-12345678 x 123", "010-12345678#123", "+861012345678;ext=123",
                     "010-12345678 extension: 5", "13800138000 #", "010-12345678 ext abc", "010-12345678 x123456789",
                     "010-12345678-123", "(0755) 8888 1234-56", "+86 10 12345678 - 9", "(415) 555-2671", "415.555.2671",
                     "1380013800o", "call 13800138000", "138+00138000", "13800138000, 13900139000", "+ 86 138",
                     "++86 138", "(+86) 13800138000", "0755/8888-1234", "x123", "ext. 5", "12 ext.=:.", "1 . - 2", ""]
        let alphabet = ["1", "3", "0", "8", "86", " ", "-", ".", "/", "(", ")", "+", "x", "e", "ext", "ext.", ";ext=",
                        "extension", "#", ":", "=", "a", ","]
        for text in table + generated(3000, from: alphabet) {
            let quoted = QuotedInput(text)
            let bytes = Array(text.utf8)
            XCTAssertEqual(outcome { () throws(NormalizationError) in try PhoneNumber.splitExtension(asciiBytes: bytes, quoted: quoted) },
                           outcome { () throws(NormalizationError) in try PhoneNumber.splitExtension(characters: text, quoted: quoted) },
                           "splitExtension \(text)")
            XCTAssertEqual(outcome { () throws(NormalizationError) in try PhoneNumber.scan(asciiBytes: bytes, quoted: quoted) },
                           outcome { () throws(NormalizationError) in try PhoneNumber.scan(characters: text, quoted: quoted) },
                           "scan \(text)")
        }
    }

    // MARK: - PersonName

    func testASCIITokensAgreeWithGeneralPath() {
        let table = ["customer 12345", "zhang wei", "zhang, wei", "o'brien, sean", "o`brien", "j. r. smith",
                     "jean-pierre dupont", "  a  ", "'", "''a''", "a1b2 3c", "x\ty\nz\r\nw", "", "!@#$%^&*()"]
        let alphabet = ["a", "z", "0", "9", " ", "'", "`", ",", ".", "-", "\t", "customer", "wei"]
        for lowered in table + generated(2000, from: alphabet) {
            XCTAssertEqual(PersonName.asciiTokens(lowered), PersonName.unicodeTokens(lowered), "input \(lowered)")
        }
    }

    func testJoiningCJKShortcutAgreesWithGeneralPath() {
        let table = ["张伟", "欧阳娜娜", "山田太郎", "ヤマダタロウ", "김민수", "Customer 12345", "Zhang Wei", "J. R. Smith",
                     "张 伟", "约翰·史密斯", "约翰 ・ 史密斯", "约翰.史密斯", "张 Wei", "Zhang 伟", "々〇", "José", "a · b"]
        for name in table {
            XCTAssertEqual(PersonName.joiningCJK(name), PersonName.joiningCJKAtSeparators(name), "input \(name)")
        }
    }
}
