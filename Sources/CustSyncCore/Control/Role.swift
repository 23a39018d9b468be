/// What a caller of the control socket may do. Each role includes everything the roles below
/// it may do: a reader sees status, the journal and customers with personal data masked; an
/// operator also steers connectors and works the review queues; an admin also sees personal
/// data unmasked, exports, backs up, merges and splits.
public enum Role: String, Codable, Sendable, CaseIterable, Comparable {
    /// Not in any of the three groups: every request is refused.
    case none
    case reader
    case `operator`
    case admin

    private var rank: Int { Role.allCases.firstIndex(of: self) ?? 0 }

    public static func < (lhs: Role, rhs: Role) -> Bool { lhs.rank < rhs.rank }

    /// Whether answers for this role hide e-mail addresses, phone numbers and addresses.
    public var seesMaskedData: Bool { self < .admin }

    /// Decides a caller's role from its credentials. Root and the daemon's own user are admins
    /// (both can read the store file anyway); otherwise the highest group the caller is in wins.
    ///
    /// - Parameters:
    ///   - groups: the caller's primary and supplementary group IDs.
    ///   - readerGID, operatorGID, adminGID: the IDs of `ReaderGroup=`, `OperatorGroup=` and
    ///     `AdminGroup=`, or nil when that group does not exist on this host.
    public static func of(uid: UInt32, groups: Set<UInt32>, daemonUID: UInt32,
                          readerGID: UInt32?, operatorGID: UInt32?, adminGID: UInt32?) -> Role {
        if uid == 0 || uid == daemonUID { return .admin }
        if let adminGID, groups.contains(adminGID) { return .admin }
        if let operatorGID, groups.contains(operatorGID) { return .operator }
        if let readerGID, groups.contains(readerGID) { return .reader }
        return .none
    }
}
