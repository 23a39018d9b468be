/// Applies a field's configured policy. Pure: the engine supplies the current and incoming
/// assertions and acts on the decision. Blank values never reach it (normalization drops them).
public enum FieldReconciler {
    public static func decide(current: FieldAssertion?, incoming: FieldAssertion, rule: FieldRule) -> ReconcileDecision {
        guard let current else { return .take(rule: "first-value") }
        if current.value == incoming.value { return .keep }
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
