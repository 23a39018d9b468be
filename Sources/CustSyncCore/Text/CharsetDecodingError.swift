/// Why bytes could not be turned into a `String`. Offsets are relative to the decoded bytes,
/// so a caller can point at the exact damage instead of storing silently replaced text.
public enum CharsetDecodingError: Error, Sendable, Equatable, CustomStringConvertible {
    case unsupportedCharset(String)
    /// The bytes starting at `offset` are not a valid sequence in `charset`.
    case invalidSequence(charset: String, offset: Int)
    /// The input ends in the middle of a multi-byte sequence starting at `offset`.
    case truncatedSequence(charset: String, offset: Int)
    case conversionFailed(charset: String, errno: Int32)

    public var description: String {
        switch self {
        case let .unsupportedCharset(name): return "unsupported charset \(name)"
        case let .invalidSequence(charset, offset): return "invalid \(charset) byte sequence at byte \(offset)"
        case let .truncatedSequence(charset, offset): return "truncated \(charset) byte sequence at byte \(offset)"
        case let .conversionFailed(charset, code): return "\(charset) conversion failed: errno \(code)"
        }
    }
}
