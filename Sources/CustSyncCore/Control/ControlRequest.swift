/// One request on the control socket: a JSON object on one line.
public struct ControlRequest: Codable, Sendable, Equatable {
    public var command: String
    public var arguments: [String: String]

    public init(command: String, arguments: [String: String] = [:]) {
        self.command = command
        self.arguments = arguments
    }

    enum CodingKeys: String, CodingKey { case command, arguments }

    /// `arguments` may be left out: `{"command":"status"}` is a whole request.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        command = try container.decode(String.self, forKey: .command)
        arguments = try container.decodeIfPresent([String: String].self, forKey: .arguments) ?? [:]
    }
}
