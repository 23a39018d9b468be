/// The answer to `whoami`: how the daemon sees the caller.
public struct CallerInfo: Codable, Sendable {
    public var uid: UInt32
    public var user: String
    public var groups: [String]
    public var role: Role
    /// Whether e-mail addresses, phone numbers and addresses are masked for this caller.
    public var masked: Bool
    /// The commands this caller may run (wire names, e.g. `quarantine.retry`).
    public var commands: [String]

    public init(uid: UInt32, user: String, groups: [String], role: Role) {
        self.uid = uid
        self.user = user
        self.groups = groups
        self.role = role
        masked = role.seesMaskedData
        commands = CommandRoles.commands(for: role)
    }
}
