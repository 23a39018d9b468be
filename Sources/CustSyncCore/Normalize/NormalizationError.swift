import Foundation

/// Why a raw value could not be normalized. Connectors turn it into a `Rejection`, so the
/// message is written for the person who reads the quarantine: it quotes the input and says
/// what is wrong with it, not which rule of the parser failed.
public struct NormalizationError: Error, Equatable, CustomStringConvertible {
    /// The canonical field the value was meant for.
    public var field: CanonicalField
    /// A human-readable explanation, e.g. `"138 0013" is too short for a phone number (7 digits)`.
    public var message: String

    public init(field: CanonicalField, message: String) {
        self.field = field
        self.message = message
    }

    public var description: String { "\(field.rawValue): \(message)" }
}

/// The raw input as error messages quote it: without surrounding whitespace. Trimming is
/// deferred to when a message is actually built, so that valid input does not pay for it.
struct QuotedInput: CustomStringConvertible {
    let raw: String

    init(_ raw: String) { self.raw = raw }

    var description: String { raw.trimmingCharacters(in: .whitespacesAndNewlines) }
}
