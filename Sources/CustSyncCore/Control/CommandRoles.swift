/// The role table: the least role each control command needs. The daemon checks it for every
/// request; `syncctl help` and `whoami` show it. A command missing here does not exist.
public enum CommandRoles {
    /// Wire names (`quarantine.retry`) and their roles, in the order help shows them.
    public static let table: [(command: String, role: Role)] = [
        // Anyone may ask who they are (the answer says which role they have, if any).
        ("whoami", .none),
        // Readers: the daemon's state, the journal and customers, personal data masked.
        ("status", .reader),
        ("connectors", .reader),
        ("journal", .reader),
        ("customer.show", .reader),
        ("customers", .reader),
        ("conflicts.list", .reader),
        ("conflicts.show", .reader),
        ("quarantine.list", .reader),
        ("quarantine.show", .reader),
        // Operators: steer connectors, work the review queues, check the store and configuration.
        ("sync", .operator),
        ("pause", .operator),
        ("resume", .operator),
        ("reload", .operator),
        ("quarantine.retry", .operator),
        ("quarantine.dismiss", .operator),
        ("conflicts.resolve", .operator),
        ("tag", .operator),
        ("verify", .operator),
        ("config.check", .operator),
        ("backups", .operator),
        // Admins: personal data unmasked, whole-store copies, identity surgery.
        ("export", .admin),
        ("backup", .admin),
        ("merge", .admin),
        ("split", .admin),
    ]

    /// The least role `command` needs, or nil for an unknown command.
    public static func required(for command: String) -> Role? {
        table.first { $0.command == command }?.role
    }

    /// The commands `role` may run, in table order.
    public static func commands(for role: Role) -> [String] {
        table.filter { $0.role <= role }.map(\.command)
    }

    /// Whether a request for `command` is journaled as `admin.action`: every operator and admin
    /// command is, whoever runs it.
    public static func isJournaled(_ command: String) -> Bool {
        (required(for: command) ?? .none) >= .operator
    }

    /// The refusal a caller sees: which role the command needs and how one gets it.
    public static func refusal(command: String, needs role: Role, caller: String, has current: Role,
                               access: AccessSettings) -> String {
        let group: String
        switch role {
        case .admin: group = "AdminGroup= (\(access.adminGroup))"
        case .operator: group = "OperatorGroup= (\(access.operatorGroup)) or AdminGroup= (\(access.adminGroup))"
        default: group = "ReaderGroup= (\(access.readerGroup)), OperatorGroup= (\(access.operatorGroup)) or AdminGroup= (\(access.adminGroup))"
        }
        let name = command.replacingOccurrences(of: ".", with: " ")
        let has = current == .none ? "no role" : "the \(current.rawValue) role"
        return "permission denied: `\(name)` needs the \(role.rawValue) role; \(caller) has \(has). "
            + "Ask an administrator to add you to \(group), then log in again."
    }
}
