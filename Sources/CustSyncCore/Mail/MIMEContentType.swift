/// A parsed `Content-Type` value: `type/subtype` in lower case and its parameters
/// (names in lower case, values unquoted).
public struct MIMEContentType: Sendable, Equatable {
    public var type: String
    public var subtype: String
    public var parameters: [String: String]

    public var mimeType: String { "\(type)/\(subtype)" }

    /// RFC 2045's default when the header is missing or unreadable.
    public static let defaultText = MIMEContentType(type: "text", subtype: "plain", parameters: ["charset": "us-ascii"])

    public init(type: String, subtype: String, parameters: [String: String] = [:]) {
        self.type = type
        self.subtype = subtype
        self.parameters = parameters
    }

    public init?(parsing text: String) {
        let parts = Self.splitParameters(text)
        guard let head = parts.first else { return nil }
        let typeParts = head.split(separator: "/", maxSplits: 1)
        guard typeParts.count == 2 else { return nil }
        type = typeParts[0].trimmingCharacters(in: .whitespaces).lowercased()
        subtype = typeParts[1].trimmingCharacters(in: .whitespaces).lowercased()
        guard !type.isEmpty, !subtype.isEmpty else { return nil }
        parameters = Self.parameters(parts.dropFirst())
    }

    /// Parameters of any `value; name=value` header (`Content-Disposition` too).
    static func parameters(_ parts: ArraySlice<String>) -> [String: String] {
        var result: [String: String] = [:]
        for part in parts {
            guard let eq = part.firstIndex(of: "=") else { continue }
            let name = part[..<eq].trimmingCharacters(in: .whitespaces).lowercased()
            var value = part[part.index(after: eq)...].trimmingCharacters(in: .whitespaces)
            if value.count >= 2 && value.hasPrefix("\"") && value.hasSuffix("\"") {
                value = String(value.dropFirst().dropLast()).replacingOccurrences(of: "\\\"", with: "\"")
            }
            if result[name] == nil { result[name] = value }
        }
        return result
    }

    /// Splits at `;` outside quoted strings.
    static func splitParameters(_ text: String) -> [String] {
        var parts: [String] = []
        var current = ""
        var inQuote = false
        for ch in text {
            if ch == "\"" { inQuote.toggle() }
            if ch == ";" && !inQuote {
                parts.append(current)
                current = ""
            } else {
                current.append(ch)
            }
        }
        parts.append(current)
        return parts.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
    }
}
