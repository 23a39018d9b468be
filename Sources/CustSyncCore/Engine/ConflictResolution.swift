/// How an administrator settles a conflict.
public enum ConflictResolution: Sendable, Equatable {
    /// Field conflict: take the value `source` asserted.
    case takeSource(String)
    /// Field conflict: set this value (normalized like any incoming value).
    case value(String)
    /// Merge candidate: they are the same person.
    case merge
    /// Merge candidate: they are different people.
    case keepSeparate
}
