/// A value that a `ConfigValueParser` function could not accept. The message says what is
/// wrong and what to write instead; the loader adds file, line and key to make a `ConfigError`.
public struct ConfigValueError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
