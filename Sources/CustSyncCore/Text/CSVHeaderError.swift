/// A header that cannot be used: required columns absent or present more than once.
public struct CSVHeaderError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Required names with no column, as they were asked for.
    public var missing: [String]
    /// Required names (normalised) that match several columns.
    public var duplicates: [String]

    public init(missing: [String], duplicates: [String]) {
        self.missing = missing
        self.duplicates = duplicates
    }

    public var description: String {
        var parts: [String] = []
        if !missing.isEmpty { parts.append("missing required column(s): \(missing.joined(separator: ", "))") }
        if !duplicates.isEmpty { parts.append("duplicate column(s): \(duplicates.joined(separator: ", "))") }
        return parts.joined(separator: "; ")
    }
}
