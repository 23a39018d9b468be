/// What a `[Mapping]` line of an `order-feed` connector feeds: a canonical customer field or
/// a field of the order.
public enum FeedMappingTarget: Sendable, Hashable, CustomStringConvertible {
    case customer(CanonicalField)
    case order(OrderField)

    /// Every target name, customer fields first.
    public static let names: [String] = CanonicalField.allCases.map(\.rawValue) + OrderField.allCases.map(\.rawValue)

    public init?(name: String) {
        if let field = CanonicalField(rawValue: name) {
            self = .customer(field)
        } else if let field = OrderField(rawValue: name) {
            self = .order(field)
        } else {
            return nil
        }
    }

    public var description: String {
        switch self {
        case .customer(let field): return field.rawValue
        case .order(let field): return field.rawValue
        }
    }
}
