/// Why a poll failed, in words for `syncctl status` and the log.
public struct ConnectorError: Error, CustomStringConvertible, Sendable {
    public var message: String
    /// A failure that retrying cannot fix (bad configuration, certificate rejected) still backs
    /// off, but is shown as `failing` rather than a passing hiccup.
    public var isPermanent: Bool

    public init(_ message: String, permanent: Bool = false) {
        self.message = message
        self.isPermanent = permanent
    }

    public var description: String { message }
}
