/// What kind of contact an interaction records.
public enum InteractionKind: String, CaseIterable, Sendable, Codable {
    case order
    case call
    case email
    case note
}
