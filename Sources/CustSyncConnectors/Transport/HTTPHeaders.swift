/// Response header fields in the order received; names compare case-insensitively.
public struct HTTPHeaders: Sendable, Equatable {
    public private(set) var fields: [(name: String, value: String)]

    public init(fields: [(name: String, value: String)] = []) {
        self.fields = fields
    }

    /// Parses `Name: value` lines; the status line and malformed lines are skipped.
    init(lines: [String]) {
        fields = lines.compactMap { line in
            guard !line.hasPrefix("HTTP/"), let colon = line.firstIndex(of: ":") else { return nil }
            let name = line[..<colon].trimmingWhitespace()
            guard !name.isEmpty else { return nil }
            return (name, line[line.index(after: colon)...].trimmingWhitespace())
        }
    }

    /// The first value of `name`.
    public subscript(name: String) -> String? {
        fields.first { $0.name.caseInsensitiveEquals(name) }?.value
    }

    /// Every value of `name`, in order (e.g. several `Link` headers).
    public func values(_ name: String) -> [String] {
        fields.filter { $0.name.caseInsensitiveEquals(name) }.map(\.value)
    }

    public static func == (lhs: HTTPHeaders, rhs: HTTPHeaders) -> Bool {
        lhs.fields.count == rhs.fields.count && zip(lhs.fields, rhs.fields).allSatisfy { $0 == $1 }
    }
}

private extension StringProtocol {
    func caseInsensitiveEquals(_ other: String) -> Bool {
        lowercased() == other.lowercased()
    }
}
