/// The answer to `config check`: whether the configuration on disk would be accepted by a reload.
public struct ConfigCheckReport: Codable, Sendable {
    public struct Problem: Codable, Sendable {
        public var file: String
        public var line: Int?
        public var key: String?
        public var message: String

        public init(_ error: ConfigError) {
            file = error.file
            line = error.line
            key = error.key
            message = error.message
        }
    }

    public var ok: Bool
    /// The main file the daemon was started with.
    public var path: String
    /// Connectors in the checked configuration (0 when it is invalid).
    public var connectors: Int
    public var problems: [Problem]

    public init(path: String, connectors: Int, problems: [ConfigError]) {
        self.path = path
        self.connectors = connectors
        self.problems = problems.map(Problem.init)
        ok = problems.isEmpty
    }
}
