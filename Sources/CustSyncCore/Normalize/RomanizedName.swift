/// A name in Latin letters, in the orders it may be written: how `张伟英`, `Zhang Weiying`,
/// `Weiying Zhang` and `Wei Ying Zhang` are found to be one name.
///
/// Letters only, without spaces, so that the splitting of pinyin syllables does not matter.
/// A name in Han characters is read as pinyin (`HanRomanizer`) and written surname first
/// (`written`) or given name first; a Latin name is written as given, and with its first or
/// last word moved to the other end, since either may be the family name.
public struct RomanizedName: Hashable, Sendable {
    /// The spelling as written (a Han name: surname first).
    public let written: String
    /// The spellings the same name may have in another record (`written` among them).
    public let variants: [String]

    /// Nil for one-word names (`Wei`: too little to find anyone by) and names with characters
    /// that have no Latin reading.
    public init?(_ name: PersonName) {
        if name.isCJK {
            guard let syllables = HanRomanizer.syllables(of: name.matchKey), syllables.count >= 2 else { return nil }
            let split = min(HanRomanizer.surnameLength(of: name.matchKey), syllables.count - 1)
            let surname = syllables[..<split].joined(), given = syllables[split...].joined()
            written = surname + given
            variants = [written, given + surname]
        } else {
            let words = name.latinWords
            guard words.count >= 2 else { return nil }
            written = words.joined()
            let lastFirst = ([words[words.count - 1]] + words.dropLast()).joined()
            let firstLast = (words.dropFirst() + [words[0]]).joined()
            var variants = [written]
            for variant in [lastFirst, firstLast] where !variants.contains(variant) { variants.append(variant) }
            self.variants = variants
        }
    }

    /// Whether the two names are spelled alike in one of the orders.
    public func sameSpelling(as other: RomanizedName) -> Bool {
        variants.contains(other.written) || other.variants.contains(written)
    }
}
