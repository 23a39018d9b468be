/// A field of the canonical customer record. Connectors map their own columns
/// and JSON paths onto these; each has a reconciliation policy in the configuration.
public enum CanonicalField: String, CaseIterable, Sendable, Codable, Hashable {
    case name
    case email
    case phone
    case address
    case company
    case region
    case customerType = "customer_type"

    /// Fields whose values are also identity keys.
    public var isIdentifier: Bool { self == .email || self == .phone }
}
