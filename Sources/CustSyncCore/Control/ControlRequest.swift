/// One request on the control socket: a JSON object on one line.
public struct ControlRequest: Codable, Sendable, Equatable {
    public var command: String
    public var arguments: [String: String]

    public init(command: String, arguments: [String: String] = [:]) {
        self.command = command
        self.arguments = arguments
    }
}
