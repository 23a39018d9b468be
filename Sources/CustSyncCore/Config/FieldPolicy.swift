/// How a canonical field's value is chosen when sources disagree.
public enum FieldPolicy: Sendable, Equatable, Hashable {
    /// The value from the first connector in this list that has one.
    case sourcePriority([String])
    /// The most recently observed value.
    case newest
    /// The longest / most detailed value.
    case mostComplete
    /// The first value ever stored is kept.
    case keepFirst
    /// Changes are never applied automatically; they wait for an operator.
    case manual

    /// The spellings used by `Policy=`.
    public static let names = ["source-priority", "newest", "most-complete", "keep-first", "manual"]

    /// The `Policy=` spelling of this policy.
    public var name: String {
        switch self {
        case .sourcePriority: return "source-priority"
        case .newest: return "newest"
        case .mostComplete: return "most-complete"
        case .keepFirst: return "keep-first"
        case .manual: return "manual"
        }
    }
}
