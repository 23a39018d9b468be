/// The answer to `conflicts list`.
public struct ConflictList: Codable, Sendable {
    public var conflicts: [ConflictView]
    /// More conflicts match: ask again with `after` set to the last id.
    public var more: Bool

    public init(conflicts: [ConflictView], more: Bool) {
        self.conflicts = conflicts
        self.more = more
    }
}
