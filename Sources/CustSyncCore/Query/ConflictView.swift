import Foundation

/// One row of the `conflicts` table: what no rule could decide.
public struct ConflictView: Codable, Sendable {
    public var id: Int64
    /// `field` or `merge-candidate`.
    public var kind: String
    public var customer: String
    /// For `field` conflicts: the field and its current value.
    public var field: String?
    public var currentValue: String?
    /// For merge candidates: the other customer.
    public var other: String?
    /// The candidates as JSON text: objects with `value`, `source`, `observed_at` for a field,
    /// the two codes for a merge candidate.
    public var candidates: String
    public var reason: String
    public var openedAt: Date
    /// `open` or `resolved`.
    public var status: String
    public var resolvedAt: Date?
    public var resolution: String?

    public init(id: Int64, kind: String, customer: String, candidates: String, reason: String,
                openedAt: Date, status: String) {
        self.id = id
        self.kind = kind
        self.customer = customer
        self.candidates = candidates
        self.reason = reason
        self.openedAt = openedAt
        self.status = status
    }

    public func masked(_ apply: Bool = true) -> ConflictView {
        guard apply else { return self }
        var copy = self
        if let field {
            copy.currentValue = currentValue.map { PersonalDataMask.value($0, field: field) }
        }
        copy.candidates = PersonalDataMask.json(candidates, field: field)
        copy.reason = PersonalDataMask.freeText(reason)
        copy.resolution = resolution.map { PersonalDataMask.json($0, field: field) }
        return copy
    }
}
