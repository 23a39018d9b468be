/// A `[Name]` or `[Name argument]` section and its settings in file order.
public struct IniSection: Sendable, Equatable, Hashable {
    public var name: String
    public var argument: String?
    /// The line of the section header.
    public var line: Int
    public var entries: [IniEntry]

    public init(name: String, argument: String? = nil, line: Int, entries: [IniEntry] = []) {
        self.name = name
        self.argument = argument
        self.line = line
        self.entries = entries
    }

    /// The header as written in a file, e.g. `[Field email]`.
    public var header: String {
        if let argument { return "[\(name) \(argument)]" }
        return "[\(name)]"
    }

    /// All entries with `key`, in file order (no reset semantics).
    public func entries(for key: String) -> [IniEntry] {
        entries.filter { $0.key == key }
    }

    /// The effective value of a single-valued key: the last one wins, and an empty value
    /// resets the key to its default (`nil`).
    public func value(for key: String) -> String? {
        guard let entry = entries.last(where: { $0.key == key }), !entry.value.isEmpty else { return nil }
        return entry.value
    }
}
