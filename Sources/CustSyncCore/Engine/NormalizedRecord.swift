import Foundation

/// A record after normalization: display values per field, plus the identity keys derived
/// from them. Blank values are gone, so they can never overwrite anything.
struct NormalizedRecord: Sendable {
    var source: String
    var key: String
    var observedAt: Date
    var fields: [CanonicalField: String]
    var name: PersonName?
    var email: EmailAddress?
    var phone: PhoneNumber?
    /// The interaction and its JSON: made together, never one without the other.
    let interaction: Interaction?
    let interactionText: InteractionText?
    var contentHash: String

    var sourceIdentifier: String { "\(source):\(key)" }
}
