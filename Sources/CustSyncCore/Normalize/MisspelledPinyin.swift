/// A Latin name that is the pinyin of a Han name with one slip of the keyboard (`Pnig Li` for
/// 李萍, `Lui Weibo` for 刘伟波) and is no longer pinyin itself.
///
/// A near spelling alone may be another person's name: `Zhang Ping` is one letter from 张兵's
/// `Zhang Bing`, and both are pinyin of real names, so a household's phone must not join them.
/// A spelling that pinyin cannot produce (`Pnig`) is nobody's name: it can only be a misspelling,
/// and the one Han name it is a letter away from is the one meant.
enum MisspelledPinyin {
    /// Shorter spellings leave too little to tell a slip from chance.
    static let minimumLetters = 5

    /// Whether `latin` misspells the pinyin of `han` (`RomanizedName`s of a Latin and a Han name).
    static func misspells(_ latin: PersonName, _ han: RomanizedName) -> Bool {
        guard let spellings = RomanizedName(latin)?.variants,
              !latin.latinWords.allSatisfy(PinyinSyllables.spell) else { return false }
        return spellings.contains { spelling in
            han.variants.contains { $0.count >= minimumLetters && oneSlipApart(Array(spelling), Array($0)) }
        }
    }

    /// One letter dropped, added or replaced, or two neighbours swapped (not equal).
    static func oneSlipApart(_ a: [Character], _ b: [Character]) -> Bool {
        guard a != b, abs(a.count - b.count) <= 1 else { return false }
        var start = 0
        while start < min(a.count, b.count), a[start] == b[start] { start += 1 }
        let restA = a[start...], restB = b[start...]
        if a.count == b.count {
            // Replaced, or swapped with the next letter.
            if restA.dropFirst() == restB.dropFirst() { return true }
            return restA.count >= 2 && restA.first == restB.dropFirst().first && restB.first == restA.dropFirst().first
                && restA.dropFirst(2) == restB.dropFirst(2)
        }
        // Dropped or added.
        return a.count > b.count ? restA.dropFirst() == restB : restB.dropFirst() == restA
    }
}
