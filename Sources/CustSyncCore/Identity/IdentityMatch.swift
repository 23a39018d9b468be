/// Which customer a record belongs to, and why.
struct IdentityMatch {
    /// The customer the record is applied to; `nil` means a new customer.
    var code: String?
    /// Human-readable reason (`source=exact`, `email=exact, name=0.90 (surname slip)`,
    /// `score=0.94 (name=0.95, phone=partial)`).
    var reason: String
    /// Other customers the record's keys prove to be the same person: merged into `code`.
    var merges: [(code: String, reason: String)] = []
    /// Customers that may be the same person but not surely: opened as merge candidates.
    var reviews: [(code: String, reason: String)] = []
    /// Identifier kinds (email, phone) that point at a customer under review. They are not
    /// attached to `code` as well: that would make the key ambiguous for every later record
    /// until a person decides.
    var contestedKinds: Set<String> = []
    /// Identifier kinds whose value `code` itself already holds: nothing to attach.
    var heldKinds: Set<String> = []
    /// The record's blocking keys, when fuzzy matching worked them out (the engine files them).
    var blockingKeys: [(kind: String, value: String)]?
}
