/// Two Han names of one length that differ in one character, when the difference looks like a
/// slip of the pen or the keyboard rather than another person.
///
/// Most one-character differences are another person: brothers share a surname and differ in a
/// one-character given name (`王强`, `王刚`), siblings often share one character of a longer one
/// (`张小伟`, `张小敏`). Two kinds are slips:
/// - one character of the given name read alike (`张丽娟`, `张丽涓`): the typical slip of a pinyin
///   input method;
/// - the surname alone differs before the same given name of two or more characters (`王杰强`
///   misread as `玉杰强`, `张杰强` typed as `章杰强`): relatives do not share a given name, and one
///   of two characters is specific enough that someone else with it under another surname is
///   unlikely behind one phone or e-mail. A one-character given name (`王强`, `李强`; `张伟`,
///   `章伟`) is too common for that: there another surname is another family.
enum HanNameSlip {
    case homophoneInGivenName
    case surname

    /// The slip that turns the characters `a` into `b`, if one does.
    init?(_ a: String, _ b: String) {
        let x = Array(a), y = Array(b)
        guard x.count == y.count, x.count >= 2 else { return nil }
        let differing = x.indices.filter { x[$0] != y[$0] }
        guard differing.count == 1, let at = differing.first,
              let readingA = HanRomanizer.reading(of: x[at]), let readingB = HanRomanizer.reading(of: y[at])
        else { return nil }
        let surnameLength = HanRomanizer.surnameLength(of: a)
        guard HanRomanizer.surnameLength(of: b) == surnameLength else { return nil }
        if at >= surnameLength {
            guard readingA == readingB else { return nil }
            self = .homophoneInGivenName
        } else {
            guard x.count - surnameLength >= 2 else { return nil }
            self = .surname
        }
    }
}
