/// What two customer descriptions have in common, field by field. `nil` means "cannot tell"
/// (a side lacks the field, or the names are in different scripts).
public struct MatchEvidence: Sendable, Equatable {
    public enum Agreement: String, Sendable, Equatable {
        /// The same normalized value.
        case exact
        /// Close but not equal: the same last digits of a phone, the same e-mail local part.
        case partial
        /// Both known and unrelated.
        case different
    }

    public var name: Double?
    public var phone: Agreement?
    public var email: Agreement?
    public var region: Agreement?

    public init(name: Double? = nil, phone: Agreement? = nil, email: Agreement? = nil, region: Agreement? = nil) {
        self.name = name
        self.phone = phone
        self.email = email
        self.region = region
    }
}
