import Foundation

/// A person's name, kept twice: as it should be shown, and as a key for matching.
///
/// Sources disagree on spacing (`张 伟` from a form with separate surname/given-name boxes),
/// width (`Ｚｈａｎｇ Ｗｅｉ` typed in full-width mode), accents (`José`/`Jose`) and order
/// (`Wei Zhang`, `Zhang Wei`, `ZHANG, Wei`); `matchKey` removes exactly those differences,
/// while `display` keeps the person's own spelling and case.
public struct PersonName: Hashable, Sendable {
    /// Folded (NFKC, whitespace collapsed); spaces between CJK characters removed.
    public let display: String
    /// CJK names: the characters without spaces, separators or a form of address after a full
    /// name (`张伟先生` → `张伟`; see `cjkMatchKey`). Other names: lower-case,
    /// without diacritics or a form of address before a full name (`Mr. Zhang Wei`), tokens
    /// sorted, so given/family name order does not matter.
    public let matchKey: String
    /// Whether every letter of the name is CJK (Han, kana, Hangul): such names compare by
    /// characters, and their order is part of the name.
    public let isCJK: Bool

    public init(parsing raw: String) throws(NormalizationError) {
        let folded = TextFolding.fold(raw)
        guard !folded.isEmpty else {
            throw NormalizationError(field: .name, message: "name is empty")
        }
        guard folded.unicodeScalars.contains(where: { $0.properties.isAlphabetic }) else {
            throw NormalizationError(field: .name, message: "\"\(folded)\" is not a name (no letters)")
        }
        display = Self.joiningCJK(folded)
        isCJK = display.unicodeScalars.allSatisfy { Self.isCJK($0) || !$0.properties.isAlphabetic }
        matchKey = isCJK
            ? Self.cjkMatchKey(display)
            : Self.withoutLeadingTitle(Self.latinTokens(display)).sorted().joined(separator: " ")
    }

    /// The words of a name in Latin script in written order, lower-case and without diacritics
    /// or a form of address before a full name (`Mr. ZHANG Wei` → `zhang`, `wei`): what the
    /// comparisons that care for order (romanization, written-order similarity) read.
    public var latinWords: [String] { Self.withoutLeadingTitle(Self.latinTokens(display)) }

    /// Forms of address written before a name in Latin script (`Mr. Zhang Wei`, `Dr Emma Lee`).
    static let latinTitles: Set<String> = ["mr", "mrs", "ms", "miss", "mx", "dr", "prof"]

    /// The tokens of a Latin name without a form of address before a full name: `Mr. Zhang Wei`
    /// is Zhang Wei. Before a surname alone (`Mr Zhang`) it stays, as the CJK form does
    /// (`cjkMatchKey`): such a name says less than a full one.
    static func withoutLeadingTitle(_ tokens: [String]) -> [String] {
        guard tokens.count >= 3, latinTitles.contains(tokens[0]) else { return tokens }
        return Array(tokens.dropFirst())
    }

    /// The surname of a name that is only a surname and a form of address (`胡女士`, `王先生`,
    /// `李老师`, `欧阳先生`): all a call-center agent may write down.
    public var titledSurname: String? {
        guard isCJK, let title = Self.titles.first(where: { matchKey.hasSuffix($0) }) else { return nil }
        let surname = String(matchKey.dropLast(title.count))
        return Self.isSurname(surname) ? surname : nil
    }

    static let titles = ["先生", "女士", "小姐", "太太", "老师", "师傅"]

    /// The letters of a CJK name, without a form of address written after a full name:
    /// `张伟先生` is 张伟, who must match `张伟` and must not pass for a relative such as `张伟明`
    /// (as a two-character "surname" 张伟 would). After a surname alone (`胡女士`) the form of
    /// address stays, so that `titledSurname` can tell such a name says less.
    static func cjkMatchKey(_ display: String) -> String {
        let letters = String(display.filter { $0.isLetter || $0.isNumber })
        guard let title = titles.first(where: { letters.hasSuffix($0) }) else { return letters }
        let name = String(letters.dropLast(title.count))
        return name.isEmpty || isSurname(name) ? letters : name
    }

    /// Whether `s` can only be a surname: one character, or a known two-character surname.
    /// Any other two characters are a surname and a given name (`张伟`).
    static func isSurname(_ s: String) -> Bool {
        s.count == 1 || HanRomanizer.compoundSurnames.contains(s)
    }

    // MARK: - Helpers

    /// Han (with 々 and 〇), kana and Hangul letters.
    static func isCJK(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x3005, 0x3007,                      // 々 〇
             0x3040...0x309F, 0x30A0...0x30FA,    // Hiragana, Katakana (without the middle dot)
             0x30FC...0x30FF, 0x31F0...0x31FF,    // ー and small kana
             0x1100...0x11FF, 0x3130...0x318F, 0xAC00...0xD7AF, // Hangul
             0x3100...0x312F,                     // Bopomofo
             0x3400...0x4DBF, 0x4E00...0x9FFF, 0xF900...0xFAFF, 0x20000...0x323AF: // Han
            return true
        default:
            return false
        }
    }

    /// Separators written between the parts of transliterated names (`约翰·史密斯`).
    static let nameDots: Set<Character> = ["\u{00B7}", "\u{30FB}", "\u{2027}", "\u{2022}", "\u{2219}", "."]

    static func isCJKCharacter(_ c: Character) -> Bool {
        c.unicodeScalars.first.map(isCJK) ?? false
    }

    /// Removes spaces between CJK characters (`张 伟` → `张伟`) and writes any dot between
    /// them as `·`, the form Chinese uses in transliterated names. Spaces next to Latin text
    /// stay, as in `张 Wei`.
    static func joiningCJK(_ s: String) -> String {
        // A join needs both a CJK character and a separator (which is never CJK): a name
        // written only in CJK, or without any CJK, has nothing to join.
        let cjkCount = s.unicodeScalars.count(where: isCJK)
        if cjkCount == 0 || cjkCount == s.unicodeScalars.count { return s }
        return joiningCJKAtSeparators(s)
    }

    /// `joiningCJK` without the shortcut.
    static func joiningCJKAtSeparators(_ s: String) -> String {
        let chars = Array(s)
        var out = ""
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if c == " " || nameDots.contains(c) {
                // The separator run, and the characters on either side of it.
                var j = i
                var hasDot = false
                while j < chars.count, chars[j] == " " || nameDots.contains(chars[j]) {
                    if chars[j] != " " { hasDot = true }
                    j += 1
                }
                if let before = out.last, isCJKCharacter(before), j < chars.count, isCJKCharacter(chars[j]) {
                    if hasDot { out.append("\u{00B7}") }
                    i = j
                    continue
                }
            }
            out.append(c)
            i += 1
        }
        return out
    }

    /// Lower-case, diacritic-free tokens in written order (`ZHANG, Wei` → `zhang`, `wei`).
    /// Apostrophes disappear (`O'Brien` = `OBrien`); any other non-alphanumeric separates.
    static func latinTokens(_ s: String) -> [String] {
        let lowered = s.lowercased()
        return lowered.utf8.allSatisfy { $0 < 0x80 } ? asciiTokens(lowered) : unicodeTokens(lowered)
    }

    /// `latinTokens` of a lower-cased string, for any text.
    static func unicodeTokens(_ lowered: String) -> [String] {
        var tokens: [String] = []
        var current = ""
        for scalar in lowered.decomposedStringWithCanonicalMapping.unicodeScalars {
            let properties = scalar.properties
            if properties.generalCategory == .nonspacingMark || apostrophes.contains(scalar) {
                continue
            }
            if properties.isAlphabetic || properties.numericType != nil {
                if let spelled = letterSpellings[scalar] {
                    current += spelled
                } else {
                    current.unicodeScalars.append(scalar)
                }
            } else if !current.isEmpty {
                tokens.append(current)
                current = ""
            }
        }
        if !current.isEmpty { tokens.append(current) }
        return tokens
    }

    /// `latinTokens` for lower-cased ASCII, where nothing decomposes, the alphanumerics are
    /// `a`…`z` and `0`…`9`, and `'` and `` ` `` are the only apostrophes.
    static func asciiTokens(_ lowered: String) -> [String] {
        var tokens: [String] = []
        var current: [UInt8] = []
        for byte in lowered.utf8 {
            switch byte {
            case UInt8(ascii: "'"), UInt8(ascii: "`"):
                continue
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                current.append(byte)
            default:
                if !current.isEmpty {
                    tokens.append(String(decoding: current, as: UTF8.self))
                    current.removeAll(keepingCapacity: true)
                }
            }
        }
        if !current.isEmpty { tokens.append(String(decoding: current, as: UTF8.self)) }
        return tokens
    }

    static let apostrophes: Set<Unicode.Scalar> = ["'", "\u{2019}", "\u{2018}", "\u{02BC}", "`", "\u{00B4}"]

    /// Latin letters that do not decompose into a base letter and a mark.
    static let letterSpellings: [Unicode.Scalar: String] = [
        "ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "đ": "d", "ð": "d", "ł": "l", "þ": "th",
        "ı": "i", "ħ": "h",
    ]
}
