import Foundation

/// Han characters to toneless pinyin, so that `张伟英` can be compared with `Zhang Weiying`.
///
/// Readings come from ICU's Mandarin transliterator (through Foundation), one character at a
/// time, and are cached for the life of the process: a name costs a few dictionary lookups
/// once its characters have been seen. Surnames with a special reading (`曾` is Zeng as a
/// surname, not Ceng) are read from a table.
public enum HanRomanizer {
    /// The syllables of a name written in Han characters, surname first; nil when a character
    /// has no Mandarin reading (kana, Hangul, symbols).
    public static func syllables(of name: String) -> [String]? {
        var result: [String] = []
        for (offset, character) in name.enumerated() {
            if offset == 0, let surname = surnameReadings[character] {
                result.append(surname)
                continue
            }
            guard let reading = reading(of: character) else { return nil }
            result.append(reading)
        }
        return result.isEmpty ? nil : result
    }

    /// The most common reading of one character (`曾` → ceng).
    public static func reading(of character: Character) -> String? {
        cache.reading(of: character)
    }

    /// Two-character surnames: the rest of the name is the given name.
    public static func surnameLength(of name: String) -> Int {
        compoundSurnames.contains(String(name.prefix(2))) && name.count > 2 ? 2 : 1
    }

    static let compoundSurnames: Set<String> = [
        "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "令狐", "慕容", "公孙", "夏侯", "尉迟", "长孙",
        "宇文", "司徒", "端木", "独孤", "南宫", "西门", "轩辕", "呼延",
    ]

    /// Surnames whose reading differs from the character's most common one.
    static let surnameReadings: [Character: String] = [
        "曾": "zeng", "单": "shan", "解": "xie", "仇": "qiu", "朴": "piao", "查": "zha", "区": "ou",
        "盖": "ge", "乐": "yue", "覃": "qin", "翟": "zhai", "种": "chong", "缪": "miao", "秘": "bi",
        "沈": "shen", "员": "yun", "华": "hua", "任": "ren", "燕": "yan", "过": "guo", "尉": "yu",
        "纪": "ji", "宁": "ning", "万": "wan", "重": "chong", "黑": "he",
    ]

    private static let cache = ReadingCache()

    /// Per-character readings, filled on first use. Guarded by a lock: matching runs on the
    /// writer's queue, but tools and tests may romanize from anywhere.
    private final class ReadingCache: @unchecked Sendable {
        private let lock = NSLock()
        private var readings: [Character: String?] = [:]

        func reading(of character: Character) -> String? {
            lock.lock()
            defer { lock.unlock() }
            if let known = readings[character] { return known }
            let reading = Self.transliterate(character)
            readings[character] = reading
            return reading
        }

        private static func transliterate(_ character: Character) -> String? {
            guard character.unicodeScalars.allSatisfy({ PersonName.isCJK($0) }),
                  let latin = String(character).applyingTransform(.mandarinToLatin, reverse: false),
                  let plain = latin.applyingTransform(.stripDiacritics, reverse: false)?.lowercased(),
                  !plain.isEmpty, plain.unicodeScalars.allSatisfy({ $0.isASCII && $0.properties.isAlphabetic })
            else { return nil }
            return plain
        }
    }
}
