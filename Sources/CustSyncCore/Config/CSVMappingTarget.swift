/// What a `[Mapping]` line of a `csv-drop` connector feeds: a canonical customer field, the
/// customer's source key, or an attribute of the row's `call` interaction.
public enum CSVMappingTarget: Sendable, Hashable, CustomStringConvertible {
    case customer(CanonicalField)
    /// The upstream system's own customer id: the record's source key.
    case key
    case call(CallAttribute)

    /// Every target name, as written in a configuration file.
    public static let names: [String] = CanonicalField.allCases.map(\.rawValue) + ["key"]
        + CallAttribute.allCases.map { "call.\($0.rawValue)" }

    public init?(name: String) {
        if let field = CanonicalField(rawValue: name) {
            self = .customer(field)
        } else if name == "key" {
            self = .key
        } else if name.hasPrefix("call."), let attribute = CallAttribute(rawValue: String(name.dropFirst(5))) {
            self = .call(attribute)
        } else {
            return nil
        }
    }

    public var description: String {
        switch self {
        case .customer(let field): return field.rawValue
        case .key: return "key"
        case .call(let attribute): return "call.\(attribute.rawValue)"
        }
    }
}
