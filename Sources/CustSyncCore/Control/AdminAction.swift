/// Who asked the daemon to do what: the `after` of an `admin.action` journal entry.
public struct AdminAction: Codable, Sendable, Equatable {
    public var uid: UInt32
    public var user: String
    public var role: Role
    /// The command as typed (`quarantine retry`).
    public var command: String
    /// The request's arguments; values of keys that look like secrets are replaced by `***`.
    public var arguments: [String: String]
    /// `ok`, or the error the request ended with.
    public var outcome: String

    public init(uid: UInt32, user: String, role: Role, command: String, arguments: [String: String], outcome: String) {
        self.uid = uid
        self.user = user
        self.role = role
        self.command = command
        self.arguments = arguments.reduce(into: [:]) { result, pair in
            result[pair.key] = Self.isSecret(pair.key) ? "***" : pair.value
        }
        self.outcome = outcome
    }

    /// No command takes a secret today; this keeps one out of the journal if one ever does.
    public static func isSecret(_ key: String) -> Bool {
        let lowered = key.lowercased()
        return ["password", "secret", "token", "credential", "key"].contains { lowered.contains($0) }
    }
}
