/// An input whose content (a dropped file, by hash) has been read to its end: recorded with the
/// batch that carries its last records, so a later copy of the same content, under any name, is
/// recognised as already done (`Engine.hasCompletedContent`).
public struct CompletedContent: Sendable, Equatable {
    /// The content hash, e.g. SHA-256 in hex.
    public var hash: String
    /// What it was called when it was read, for people.
    public var name: String

    public init(hash: String, name: String) {
        self.hash = hash
        self.name = name
    }
}
