/// A path into a JSON document, as written in `[Mapping]` keys and in `RecordsPath=`,
/// `NextPath=` and `CursorPath=`: object keys separated by dots, array positions in brackets,
/// e.g. `customer.email`, `lines[0].sku`, `data.orders`. A leading `$.` is allowed and ignored.
public struct FeedPath: Sendable, Hashable, CustomStringConvertible {
    public enum Component: Sendable, Hashable {
        case key(String)
        case index(Int)
    }

    public let components: [Component]
    /// The path as written.
    public let text: String

    public init(parsing text: String) throws(ConfigValueError) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        func failure(_ what: String) -> ConfigValueError {
            ConfigValueError("\"\(text)\" is not a JSON path: \(what) (write object keys separated by dots and array positions in brackets, e.g. customer.email or lines[0].sku)")
        }
        if trimmed == "$" { throw failure("it names the whole document, not a value in it") }
        var rest = Substring(trimmed)
        if rest.hasPrefix("$.") { rest = rest.dropFirst(2) } else if rest.hasPrefix("$[") { rest = rest.dropFirst() }
        guard !rest.isEmpty else { throw failure("it is empty") }
        var components: [Component] = []
        var expectKey = !rest.hasPrefix("[")
        while !rest.isEmpty {
            if expectKey {
                let end = rest.firstIndex(where: { $0 == "." || $0 == "[" || $0 == "]" }) ?? rest.endIndex
                let key = rest[..<end]
                guard !key.isEmpty else { throw failure("it has an empty key") }
                components.append(.key(String(key)))
                rest = rest[end...]
                if rest.first == "]" { throw failure("it has a \"]\" without \"[\"") }
            }
            expectKey = false
            guard let next = rest.first else { break }
            if next == "." {
                rest = rest.dropFirst()
                guard !rest.isEmpty else { throw failure("it ends with a dot") }
                expectKey = true
            } else if next == "[" {
                guard let close = rest.firstIndex(of: "]") else { throw failure("it has a \"[\" without \"]\"") }
                let digits = rest[rest.index(after: rest.startIndex)..<close]
                guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }), let index = Int(digits) else {
                    throw failure("[\(digits)] is not an array position")
                }
                components.append(.index(index))
                rest = rest[rest.index(after: close)...]
                if let after = rest.first, after != "." && after != "[" {
                    throw failure("\"\(after)\" follows \"]\"")
                }
            }
        }
        self.components = components
        self.text = trimmed
    }

    public var description: String { text }

    public static func == (lhs: FeedPath, rhs: FeedPath) -> Bool { lhs.components == rhs.components }
    public func hash(into hasher: inout Hasher) { hasher.combine(components) }
}
