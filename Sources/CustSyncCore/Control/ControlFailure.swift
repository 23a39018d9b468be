/// A refused or failed control request, sent as `{"ok":false,"error":…,"exit":N}`; `exit` is
/// the exit status syncctl should use.
public struct ControlFailure: Error, Codable, Sendable {
    public var error: String
    public var exit: Int32

    public init(_ error: String, exit: Int32 = 1) {
        self.error = error
        self.exit = exit
    }

    public static func usage(_ message: String) -> ControlFailure { ControlFailure(message, exit: 2) }
    public static func forbidden(_ message: String) -> ControlFailure { ControlFailure(message, exit: 4) }
    public static func notFound(_ message: String) -> ControlFailure { ControlFailure(message, exit: 5) }
}
