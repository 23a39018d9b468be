/// Which personal field (`email`, `phone`, `address`) a JSON key of raw input names, if any.
///
/// Feeds name them in many ways: `shipping_address`, `billingAddress`, `customer_email`,
/// `e-mail`, `contact_phone`, `mobile`, `tel`, `emails`. A key is split into words (at `_`,
/// `-`, `.`, spaces and lower-to-upper case changes) and read case-insensitively; a word names
/// a field when it is one of the short words below or contains `email`, `phone` or `address`
/// (`cellphone`, `emailaddress`). A key with a word that only describes such a value
/// (`email_verified`, `phone_type`, `address_id`, `email_opt_in`) names none, and neither does a
/// word that merely contains a short one (`hotel`, `cancelled`).
enum PersonalKey {
    static func field(of key: String) -> String? {
        let words = words(of: key)
        guard !words.contains(where: qualifiers.contains) else { return nil }
        for word in words {
            if let field = shortWords[word] { return field }
            if let field = ["email", "phone", "address"].first(where: word.contains) { return field }
        }
        return nil
    }

    private static let shortWords: [String: String] = [
        "mail": "email",
        "tel": "phone", "mobile": "phone", "cell": "phone", "fax": "phone", "msisdn": "phone",
        "addr": "address", "street": "address", "postcode": "address", "zip": "address", "zipcode": "address",
    ]

    /// Words of keys that describe a personal value rather than hold one.
    private static let qualifiers: Set<String> = [
        "type", "kind", "verified", "confirmed", "valid", "validated", "consent", "opt", "optin", "optout",
        "id", "count", "status", "format", "label", "country", "source", "at", "date", "time",
    ]

    private static func words(of key: String) -> [String] {
        var words: [String] = []
        var current = ""
        var previous: Character?
        for character in key {
            if character == "_" || character == "-" || character == "." || character.isWhitespace {
                words.append(current)
                current = ""
            } else {
                if character.isUppercase, let previous, previous.isLowercase || previous.isNumber {
                    words.append(current)
                    current = ""
                }
                current.append(character)
            }
            previous = character
        }
        words.append(current)
        return words.filter { !$0.isEmpty }.map { $0.lowercased() }
    }
}
