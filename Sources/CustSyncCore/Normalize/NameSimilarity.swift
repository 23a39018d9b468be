/// How alike two names are, in [0, 1], for fuzzy identity matching.
///
/// Built on Jaro-Winkler, which suits names: it forgives a transposed or mistyped letter in
/// a long name. CJK names need different treatment: each character is a separate choice, a
/// "typo" is usually a different person, and the first character is the surname, which
/// they share with tens of millions of people, so a common prefix is no evidence at all.
public enum NameSimilarity {
    /// How alike two names are, whatever their scripts; nil when they cannot be compared.
    public static func compare(_ a: PersonName, _ b: PersonName) -> Double? { match(a, b)?.score }

    /// `compare` with its grounds, for the reason of a decision.
    public static func match(_ a: PersonName, _ b: PersonName) -> NameMatch? {
        if let x = a.titledSurname, let y = b.titledSurname {
            // 胡女士 and 胡女士 may be one person; 胡女士 and 胡先生 cannot be compared (unknown,
            // which does not let a phone decide); 胡女士 and 王女士 are two.
            return a.matchKey == b.matchKey ? NameMatch(titledMatch, .titledSurname) : (x == y ? nil : NameMatch(0, .letters))
        }
        if let surname = a.titledSurname ?? b.titledSurname {
            let other = a.titledSurname == nil ? a : b
            if titled(surname, matches: other) { return NameMatch(titledMatch, .titledSurname) }
            // Another surname in characters contradicts; a Latin name may be a chosen one.
            return other.isCJK ? NameMatch(0, .letters) : nil
        }
        return a.isCJK == b.isCJK ? sameScript(a, b) : crossScript(a, b)
    }

    /// A surname with a form of address (`胡女士`) against a name with that surname: just
    /// enough for an own phone or an e-mail, never enough to choose among a household's
    /// members (who share the surname and so tie) or to merge two customers.
    static let titledMatch = 0.88

    private static func titled(_ surname: String, matches other: PersonName) -> Bool {
        if other.titledSurname != nil { return false }
        if other.isCJK { return other.matchKey.hasPrefix(surname) && other.matchKey.count > surname.count }
        guard let pinyin = HanRomanizer.syllables(of: surname)?.joined() else { return false }
        let words = other.latinWords
        return words.count >= 2 && (words.first == pinyin || words.last == pinyin)
    }

    /// 1 for equal match keys. Latin names: Jaro-Winkler on the match keys (also tried in
    /// written order, so a typo that changes the sort order of the tokens is not punished).
    /// CJK names: Jaro on characters without the prefix bonus, squared, so that `张伟` and
    /// `张敏` score about 0.44; a slip of one character (`HanNameSlip`) scores `homophone` or
    /// `surnameSlip`. Latin names spelled alike but split differently (`Wei Ying Zhang`,
    /// `Weiying Zhang`) score `splitSpelling`. Names in different scripts are compared by
    /// `crossScript`.
    public static func score(_ a: PersonName, _ b: PersonName) -> Double { sameScript(a, b).score }

    static func sameScript(_ a: PersonName, _ b: PersonName) -> NameMatch {
        if a.matchKey == b.matchKey { return NameMatch(1, .sameName) }
        if a.isCJK || b.isCJK {
            switch HanNameSlip(a.matchKey, b.matchKey) {
            case .homophoneInGivenName?: return NameMatch(homophone, .homophone)
            case .surname?: return NameMatch(surnameSlip, .surnameSlip)
            case nil:
                let jaro = jaro(Array(a.matchKey), Array(b.matchKey))
                return NameMatch(min(max(jaro * jaro, 0), 1), .letters)
            }
        }
        let sorted = jaroWinkler(Array(a.matchKey), Array(b.matchKey))
        let written = jaroWinkler(Array(a.latinWords.joined(separator: " ")), Array(b.latinWords.joined(separator: " ")))
        let split = RomanizedName(a).flatMap { x in RomanizedName(b).map { x.sameSpelling(as: $0) } } == true
        if split && splitSpelling > max(sorted, written) { return NameMatch(splitSpelling, .split) }
        return NameMatch(min(max(sorted, written, 0), 1), .letters)
    }

    /// Han names that differ in one character of the given name, read alike: the typical slip
    /// of a pinyin input method (`张丽娟` typed as `张丽涓`).
    static let homophone = 0.9
    /// Han names that differ in the surname alone, before a given name of two or more
    /// characters (`王杰强`, `玉杰强`): as strong as a homophone, and for the same reason.
    static let surnameSlip = 0.9

    /// Latin names with the same letters in one of their orders, split into other words.
    static let splitSpelling = 0.97
    /// A name in Han characters whose pinyin is spelled exactly like a Latin name. Less than
    /// certain: many characters share one reading (张伟 and 章威 are both Zhang Wei).
    static let samePinyin = 0.92
    /// Below this Jaro-Winkler between the pinyin and a Latin name, a cross-script comparison
    /// says nothing: the person may go by a name unrelated to their Chinese one.
    static let pinyinTypo = 0.92

    /// A Latin name misspelling the pinyin of a Han name (`MisspelledPinyin`): enough for an
    /// own phone or an e-mail, not to merge two customers.
    static let misspelledPinyin = 0.88

    /// A Han-character name against a Latin one, through its pinyin: `samePinyin` when spelled
    /// alike, `misspelledPinyin` for a slip that is no longer pinyin, a lower score for another
    /// near spelling, nil when they cannot be compared or are simply different (which, across
    /// scripts, is no evidence against a match).
    public static func crossScript(_ a: PersonName, _ b: PersonName) -> NameMatch? {
        guard a.isCJK != b.isCJK, let x = RomanizedName(a), let y = RomanizedName(b) else { return nil }
        if x.sameSpelling(as: y) { return NameMatch(samePinyin, .samePinyin) }
        if MisspelledPinyin.misspells(a.isCJK ? b : a, a.isCJK ? x : y) { return NameMatch(misspelledPinyin, .misspelledPinyin) }
        var best = 0.0
        for u in x.variants {
            for v in y.variants { best = max(best, jaroWinkler(Array(u), Array(v))) }
        }
        return best >= pinyinTypo ? NameMatch(best * 0.85, .nearPinyin) : nil
    }

    /// Jaro-Winkler with the usual parameters: prefix of up to 4, scale 0.1, boost only
    /// above a Jaro similarity of 0.7.
    static func jaroWinkler(_ a: [Character], _ b: [Character]) -> Double {
        let j = jaro(a, b)
        guard j > 0.7 else { return j }
        var prefix = 0
        while prefix < min(4, a.count, b.count), a[prefix] == b[prefix] { prefix += 1 }
        return j + Double(prefix) * 0.1 * (1 - j)
    }

    static func jaro(_ a: [Character], _ b: [Character]) -> Double {
        if a.isEmpty && b.isEmpty { return 1 }
        if a.isEmpty || b.isEmpty { return 0 }
        let window = max(max(a.count, b.count) / 2 - 1, 0)
        var aMatched = [Bool](repeating: false, count: a.count)
        var bMatched = [Bool](repeating: false, count: b.count)
        var matches = 0
        for i in a.indices {
            let low = max(0, i - window)
            let high = min(b.count - 1, i + window)
            guard low <= high else { continue }
            for k in low...high where !bMatched[k] && a[i] == b[k] {
                aMatched[i] = true
                bMatched[k] = true
                matches += 1
                break
            }
        }
        guard matches > 0 else { return 0 }
        var transpositions = 0
        var k = 0
        for i in a.indices where aMatched[i] {
            while !bMatched[k] { k += 1 }
            if a[i] != b[k] { transpositions += 1 }
            k += 1
        }
        let m = Double(matches)
        return (m / Double(a.count) + m / Double(b.count) + (m - Double(transpositions) / 2) / m) / 3
    }
}
