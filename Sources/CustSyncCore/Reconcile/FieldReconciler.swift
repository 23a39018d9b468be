/// Applies a field's configured policy. Pure: the engine supplies the current and incoming
/// assertions and acts on the decision. Blank values never reach it (normalization drops them).
public enum FieldReconciler {
    public static func decide(current: FieldAssertion?, incoming: FieldAssertion, rule: FieldRule,
                              field: CanonicalField? = nil) -> ReconcileDecision {
        guard let current else { return .take(rule: "first-value") }
        if current.value == incoming.value { return .keep }
        if field == .name, let decision = bySpecificity(current: current.value, incoming: incoming.value, guarded: rule.guarded) {
            return decision
        }
        if rule.guarded {
            return .conflict(reason: "field is guarded: \(current.source) has \"\(current.value)\", \(incoming.source) says \"\(incoming.value)\"")
        }
        switch rule.policy {
        case .keepFirst:
            return .keep
        case .manual:
            return .conflict(reason: "policy is manual")
        case .newest:
            return byTime(current, incoming, rule: "newest")
        case .sourcePriority(let order):
            let currentRank = order.firstIndex(of: current.source) ?? order.count
            let incomingRank = order.firstIndex(of: incoming.source) ?? order.count
            if incomingRank < currentRank { return .take(rule: "source-priority") }
            if incomingRank > currentRank { return .keep }
            return byTime(current, incoming, rule: "source-priority,newest")
        case .mostComplete:
            let currentSize = completeness(current.value), incomingSize = completeness(incoming.value)
            if incomingSize > currentSize { return .take(rule: "most-complete") }
            if incomingSize < currentSize { return .keep }
            return byTime(current, incoming, rule: "most-complete,newest")
        }
    }

    /// A surname with a form of address (`胡女士`, what a call-center agent writes down) says
    /// less than the full name with that surname (`胡林杰`), whatever the policy: it never
    /// replaces it, and is replaced by it (unless the field is guarded). Nil for other names.
    private static func bySpecificity(current: String, incoming: String, guarded: Bool) -> ReconcileDecision? {
        guard let currentName = try? PersonName(parsing: current),
              let incomingName = try? PersonName(parsing: incoming) else { return nil }
        switch (currentName.titledSurname, incomingName.titledSurname) {
        case (nil, let surname?) where currentName.isCJK && currentName.matchKey.hasPrefix(surname):
            return .keep
        case (let surname?, nil) where !guarded && incomingName.isCJK && incomingName.matchKey.hasPrefix(surname):
            return .take(rule: "full-name")
        default:
            return nil
        }
    }

    /// Newer observation wins; a tie between different sources cannot be decided. A source
    /// re-stating its own value at the same instant replaces it (it corrected itself).
    private static func byTime(_ current: FieldAssertion, _ incoming: FieldAssertion, rule: String) -> ReconcileDecision {
        if incoming.observedAt > current.observedAt { return .take(rule: rule) }
        if incoming.observedAt < current.observedAt { return .keep }
        if incoming.source == current.source { return .take(rule: rule) }
        return .conflict(reason: "\(current.source) and \(incoming.source) observed different values at the same time")
    }

    /// How much a value says: its letters and digits, ignoring punctuation and spacing.
    private static func completeness(_ value: String) -> Int {
        value.unicodeScalars.filter { $0.properties.isAlphabetic || $0.properties.numericType != nil }.count
    }
}
