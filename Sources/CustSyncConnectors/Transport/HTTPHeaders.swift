/// Response header fields in the order received; names compare case-insensitively.
public struct HTTPHeaders: Sendable, Equatable {
    public private(set) var fields: [(name: String, value: String)]

    public init(fields: [(name: String, value: String)] = []) {
        self.fields = fields
    }

    /// Parses `Name: value` lines; the status line and malformed lines are skipped. A line
    /// starting with a space or tab continues the field before it (obsolete line folding, which
    /// RFC 9112 says to read as one space; libcurl passes it on as a line of its own).
    init(lines: [String]) {
        fields = []
        for line in lines {
            if line.first == " " || line.first == "\t" {
                guard let last = fields.indices.last else { continue }
                let continuation = line.trimmingWhitespace()
                if !continuation.isEmpty {
                    fields[last].value += fields[last].value.isEmpty ? continuation : " " + continuation
                }
                continue
            }
            guard !line.hasPrefix("HTTP/"), let colon = line.firstIndex(of: ":") else { continue }
            let name = line[..<colon].trimmingWhitespace()
            guard !name.isEmpty else { continue }
            fields.append((name, line[line.index(after: colon)...].trimmingWhitespace()))
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
