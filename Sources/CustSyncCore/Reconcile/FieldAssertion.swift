import Foundation

/// A value one source asserted for one field, at the time the source observed it.
public struct FieldAssertion: Sendable, Equatable {
    public var value: String
    public var source: String
    public var observedAt: Date

    public init(value: String, source: String, observedAt: Date) {
        self.value = value
        self.source = source
        self.observedAt = observedAt
    }
}
