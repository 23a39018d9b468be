/// Why a message could not be read. Connectors quarantine the message with this reason and go
/// on with the rest, so the text names the damage for the person reading the quarantine.
public enum MailParseError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The message has no header section at all (empty, or starts with a blank line).
    case noHeaders
    /// A header line that is neither `Name: value` nor a folded continuation.
    case malformedHeaderLine(line: Int, text: String)
    /// A required header is missing or empty.
    case missingHeader(String)
    /// A header is present but its value cannot be used.
    case invalidHeader(name: String, value: String)

    public var description: String {
        switch self {
        case .noHeaders:
            return "message has no header section"
        case let .malformedHeaderLine(line, text):
            return "broken header at line \(line): \"\(text.prefix(80))\" is not a \"Name: value\" field"
        case let .missingHeader(name):
            return "message has no \(name) header"
        case let .invalidHeader(name, value):
            return "\(name) header \"\(value.prefix(80))\" cannot be read"
        }
    }
}
