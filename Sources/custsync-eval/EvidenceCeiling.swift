import CustSyncCore

/// How much recall the evidence in the records allows at all: an oracle links two records of
/// one person (the ground truth only keeps it from linking two persons) whenever they share a
/// phone (own or a household's), an e-mail, or a name in any script and order, and takes the
/// transitive closure. The true pairs it leaves apart lie between groups of records that share
/// nothing, which no matcher can join without guessing.
struct EvidenceCeiling {
    /// True pairs the oracle links, with every name.
    var linkedPairs = 0
    /// True pairs it links when a name only counts if no other person in the set writes it
    /// (in any script): what a matcher could reach if it knew which names are unique.
    var linkedByUniqueNamesPairs = 0
    /// True pairs left apart, by what their records lack.
    var apart: [String: Int] = [:]

    init(records: [GenRecord], byPerson: [Int: [Int]]) {
        let spellings = records.map { $0.name.map(NameSpellings.of) ?? [] }
        var ownerOfSpelling: [String: Int] = [:]  // spelling → its only person, or -1 for several
        for index in records.indices {
            for spelling in spellings[index] {
                let person = records[index].person
                if let owner = ownerOfSpelling[spelling], owner != person { ownerOfSpelling[spelling] = -1 }
                if ownerOfSpelling[spelling] == nil { ownerOfSpelling[spelling] = person }
            }
        }
        for members in byPerson.values {
            var all = UnionFind(count: members.count)
            var unique = UnionFind(count: members.count)
            for a in members.indices {
                for b in members.indices where b > a {
                    let (x, y) = (records[members[a]], records[members[b]])
                    let shared = spellings[members[a]].intersection(spellings[members[b]])
                    let key = (x.emailKey != nil && x.emailKey == y.emailKey) || (x.phoneKey != nil && x.phoneKey == y.phoneKey)
                    if key || !shared.isEmpty { all.union(a, b) }
                    if key || shared.contains(where: { ownerOfSpelling[$0] == x.person }) { unique.union(a, b) }
                }
            }
            linkedPairs += all.linkedPairs
            linkedByUniqueNamesPairs += unique.linkedPairs
            for a in members.indices {
                for b in members.indices where b > a && all.root(a) != all.root(b) {
                    apart[Self.cause(records[members[a]], records[members[b]]), default: 0] += 1
                }
            }
        }
    }

    /// Why two records of one person share nothing.
    private static func cause(_ x: GenRecord, _ y: GenRecord) -> String {
        let noisy: Set<String> = ["latin-typo", "cjk-lookalike", "title-only", "latin-transliterated", "phone-typo"]
        if x.name == nil || y.name == nil { return "a record without a name" }
        if let note = (x.notes + y.notes).first(where: noisy.contains) { return "names differ by noise (\(note))" }
        return "names differ otherwise"
    }
}

/// The spellings under which the oracle finds a name: the CJK characters, and every order of
/// its pinyin read through the generator's own name pools; for a Latin name its letters in
/// written order and with the first or last word moved to the other end (`Wei Ying Zhang`,
/// `Zhang Weiying` and `张伟英` share `zhangweiying`).
enum NameSpellings {
    static func of(_ raw: String) -> Set<String> {
        guard let name = try? PersonName(parsing: raw) else { return [] }
        guard name.isCJK else {
            let words = name.latinWords
            guard words.count >= 2 else { return Set(words) }
            return [words.joined(), ([words[words.count - 1]] + words.dropLast()).joined(),
                    (words.dropFirst() + [words[0]]).joined()]
        }
        var result: Set<String> = [name.matchKey]
        if let (surname, given) = pinyin(name.matchKey) { result.formUnion([surname + given, given + surname]) }
        return result
    }

    /// Surname and given name in ASCII pinyin, when every character is in the pools.
    private static func pinyin(_ characters: String) -> (String, String)? {
        let surnameLength = surnames[String(characters.prefix(2))] != nil && characters.count > 2 ? 2 : 1
        guard characters.count > surnameLength,
              let surname = surnames[String(characters.prefix(surnameLength))] else { return nil }
        var given = ""
        for character in characters.dropFirst(surnameLength) {
            guard let syllable = givenSyllables[String(character)] else { return nil }
            given += syllable
        }
        return (PopulationGenerator.ascii(surname), PopulationGenerator.ascii(given))
    }

    private static let surnames = Dictionary(NamePools.surnames.map { ($0.0, $0.1) }, uniquingKeysWith: { a, _ in a })
    private static let givenSyllables = Dictionary(NamePools.givenCharacters.map { ($0.0, $0.1) },
                                                   uniquingKeysWith: { a, _ in a })
}

/// Disjoint sets over `0..<count`.
struct UnionFind {
    private var parent: [Int]

    init(count: Int) { parent = Array(0..<count) }

    func root(_ i: Int) -> Int {
        var i = i
        while parent[i] != i { i = parent[i] }
        return i
    }

    mutating func union(_ a: Int, _ b: Int) { parent[root(b)] = root(a) }

    /// Pairs of elements in one set.
    var linkedPairs: Int {
        var sizes: [Int: Int] = [:]
        for i in parent.indices { sizes[root(i), default: 0] += 1 }
        return sizes.values.reduce(0) { $0 + pairs($1) }
    }
}
