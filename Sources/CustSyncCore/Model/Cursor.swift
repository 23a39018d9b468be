/// A connector's position in its source, opaque to the engine. It is committed in the
/// same transaction as the records read before it, so it never points past what is stored.
public struct Cursor: Sendable, Equatable, Hashable, Codable, CustomStringConvertible {
    public var value: String
    public init(_ value: String) { self.value = value }
    public var description: String { value }
}
