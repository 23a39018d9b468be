/// The answer to `quarantine list` (entries without their raw input).
public struct QuarantineList: Codable, Sendable {
    public var entries: [QuarantineEntry]
    /// More entries match: ask again with `after` set to the last id.
    public var more: Bool

    public init(entries: [QuarantineEntry], more: Bool) {
        self.entries = entries
        self.more = more
    }
}
