/// Which customer a record belongs to, and why.
struct IdentityMatch {
    /// The customer the record is applied to; `nil` means a new customer.
    var code: String?
    /// Human-readable reason (`source-key`, `email=exact`, `phone=exact`).
    var reason: String
    /// Another customer the record's keys also point at: a merge candidate for review.
    var otherCandidates: [(code: String, reason: String)] = []
}
