/// An administrative request the engine will not carry out (merging a customer into itself,
/// splitting one that was never merged …), with the reason and what to do instead.
public struct EngineRefusal: Error, CustomStringConvertible, Sendable, Equatable {
    public var message: String
    /// The request named a customer or conflict that does not exist (syncctl exits 5).
    public var isNotFound = false
    public init(_ message: String) { self.message = message }

    public static func notFound(_ message: String) -> EngineRefusal {
        var refusal = EngineRefusal(message)
        refusal.isNotFound = true
        return refusal
    }
    public var description: String { message }
}
