/// How alike two names are, and on what grounds: the score identity matching weighs, and the
/// words a steward reads in the reason of the decision (`name=0.90 (surname slip)`).
public struct NameMatch: Sendable, Equatable {
    public enum Basis: String, Sendable {
        /// Equal match keys.
        case sameName = "same name"
        /// Letters compared (Jaro-Winkler; Jaro squared for CJK names).
        case letters
        /// Latin names spelled alike but split into other words (`Weiying`, `Wei Ying`).
        case split
        /// One character of a Han given name read alike (`张丽娟`, `张丽涓`).
        case homophone
        /// Another surname before the same Han given name of two or more characters.
        case surnameSlip = "surname slip"
        /// A Han name whose pinyin is spelled like the Latin one.
        case samePinyin = "same pinyin"
        /// A Latin name one letter off the pinyin, and not pinyin itself (`Pnig Li`, 李萍).
        case misspelledPinyin = "misspelled pinyin"
        /// A Latin name near the pinyin (Jaro-Winkler), which may be another name's pinyin.
        case nearPinyin = "near pinyin"
        /// A surname with a form of address (`胡女士`) against a name with that surname.
        case titledSurname = "surname and form of address"
    }

    public var score: Double
    public var basis: Basis

    public init(_ score: Double, _ basis: Basis) {
        self.score = score
        self.basis = basis
    }

    /// `0.90 (surname slip)`.
    public var description: String {
        String(format: "%.2f", score) + (basis == .letters ? "" : " (\(basis.rawValue))")
    }
}
