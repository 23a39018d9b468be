/// An administrative request the engine will not carry out (merging a customer into itself,
/// splitting one that was never merged …), with the reason and what to do instead.
public struct EngineRefusal: Error, CustomStringConvertible, Sendable, Equatable {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
