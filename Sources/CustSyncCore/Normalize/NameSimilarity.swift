/// How alike two names are, in [0, 1], for fuzzy identity matching.
///
/// Built on Jaro-Winkler, which suits names: it forgives a transposed or mistyped letter in
/// a long name. CJK names need different treatment: each character is a separate choice, a
/// "typo" is usually a different person, and the first character is the surname, which
/// they share with tens of millions of people, so a common prefix is no evidence at all.
public enum NameSimilarity {
    /// 1 for equal match keys. Latin names: Jaro-Winkler on the match keys (also tried in
    /// written order, so a typo that changes the sort order of the tokens is not punished).
    /// CJK names: Jaro on characters without the prefix bonus, squared, so that `张伟` and
    /// `张敏` score about 0.44. Names in different scripts cannot be compared without
    /// transliteration and score low.
    public static func score(_ a: PersonName, _ b: PersonName) -> Double {
        if a.matchKey == b.matchKey { return 1 }
        let result: Double
        if a.isCJK || b.isCJK {
            let jaro = jaro(Array(a.matchKey), Array(b.matchKey))
            result = jaro * jaro
        } else {
            let sorted = jaroWinkler(Array(a.matchKey), Array(b.matchKey))
            let written = jaroWinkler(Array(PersonName.latinTokens(a.display).joined(separator: " ")),
                                      Array(PersonName.latinTokens(b.display).joined(separator: " ")))
            result = max(sorted, written)
        }
        return min(max(result, 0), 1)
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
