/// Why a body is not valid JSON, and where.
struct JSONSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Byte offset of the problem in the parsed text.
    var offset: Int
    var message: String
    /// The text ended in the middle of a value: typically a truncated response.
    var atEnd: Bool

    var description: String {
        atEnd ? "invalid JSON: the text ends in the middle of a value at byte \(offset) (truncated?)"
              : "invalid JSON at byte \(offset): \(message)"
    }
}
