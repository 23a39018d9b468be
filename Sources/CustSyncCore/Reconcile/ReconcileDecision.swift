/// The outcome of reconciling one incoming value against the current one.
public enum ReconcileDecision: Sendable, Equatable {
    /// The current value stays (the incoming one is kept as provenance only).
    case keep
    /// The incoming value becomes current; `rule` names why, for provenance and the journal.
    case take(rule: String)
    /// No rule can decide: open a conflict and keep the current value.
    case conflict(reason: String)
}
