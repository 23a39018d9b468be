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

    /// Hashes the case. A `String` enum would otherwise hash its raw string, on every lookup in
    /// a record's fields.
    public func hash(into hasher: inout Hasher) {
        let ordinal: UInt8 = switch self {
        case .name: 0
        case .email: 1
        case .phone: 2
        case .address: 3
        case .company: 4
        case .region: 5
        case .customerType: 6
        }
        hasher.combine(ordinal)
    }
}
