import Foundation

/// Hides personal data from callers below the admin role: e-mail addresses become
/// `z***@example.com`, phone numbers `138****8000` (or `+44*****0958`), postal addresses `***`.
/// Names, companies and regions stay visible: readers need them to recognise a customer.
///
/// Masking happens in the daemon before an answer leaves it, so a client cannot ask for more.
public enum PersonalDataMask {
    /// Canonical fields (and identifier kinds) whose values are masked.
    public static let maskedFields: Set<String> = ["email", "phone", "address"]

    /// `value` of canonical field `field`, masked when the field is personal.
    public static func value(_ value: String, field: String) -> String {
        switch field {
        case "email": return email(value)
        case "phone": return phone(value)
        case "address": return address(value)
        default: return value
        }
    }

    public static func email(_ value: String) -> String {
        if let address = try? EmailAddress(parsing: value) { return address.masked }
        guard let at = value.lastIndex(of: "@") else { return stars(value) }
        return "\(value.prefix(1))***@\(value[value.index(after: at)...])"
    }

    public static func phone(_ value: String) -> String {
        // Stored numbers are E.164, so the default region never matters for them.
        if let number = try? PhoneNumber(parsing: value, defaultRegion: "CN") { return number.masked }
        return digitRun(value)
    }

    public static func address(_ value: String) -> String { value.isEmpty ? value : "***" }

    /// Free text (quarantine reasons and raw input, interaction summaries): e-mail addresses and
    /// runs of seven or more digits that look like phone numbers are masked, the rest is kept.
    /// Digits glued to letters or a hyphen (`KH-0000012`, `O-2026112201`) and dates stay.
    public static func freeText(_ text: String) -> String {
        guard text.contains("@") || text.unicodeScalars.contains(where: { CharacterSet.decimalDigits.contains($0) }) else {
            return text
        }
        var result = replace(emailPattern, in: text) { email($0) }
        result = replace(phonePattern, in: result) { match in
            let digits = match.filter(\.isNumber).count
            if digits < 7 || match.range(of: #"^\d{4}-\d{2}-\d{2}"#, options: .regularExpression) != nil { return match }
            return digitRun(match)
        }
        return result
    }

    /// Raw input as a connector read it (`quarantine show`): a JSON object or array (an exec
    /// line, an order) masked by key as `json` does, so that an address is masked too; anything
    /// else (a CSV row, mail headers, a bare number) as free text.
    public static func input(_ text: String) -> String {
        guard let first = text.first(where: { !$0.isWhitespace }), first == "{" || first == "[" else { return freeText(text) }
        return json(text)
    }

    /// A JSON document (journal `before`/`after`, conflict candidates, interaction details, raw
    /// input) with personal values masked: keys that name a personal field (see `PersonalKey`),
    /// everything inside them, `value`/`current_value`
    /// next to such a `field` (or of such a `field` given by the caller), and free text in the
    /// other strings. Text that is not JSON is masked as free text.
    public static func json(_ text: String, field: String? = nil) -> String {
        guard let data = text.data(using: .utf8),
              let object = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) else {
            return freeText(text)
        }
        let masked = mask(object, field: field)
        guard let out = try? JSONSerialization.data(withJSONObject: masked, options: [.sortedKeys, .fragmentsAllowed, .withoutEscapingSlashes]) else {
            return freeText(text)
        }
        return String(decoding: out, as: UTF8.self)
    }

    // MARK: internals

    /// Keys whose string values are structure, not content: never masked.
    private static let structuralKeys: Set<String> = [
        "field", "source", "rule", "kind", "id", "quarantine", "other", "customer", "code", "status",
        "currency", "amount", "origin_kind",
    ]

    private static func mask(_ object: Any, field: String?) -> Any {
        switch object {
        case let dictionary as [String: Any]:
            let localField = (dictionary["field"] as? String) ?? field
            var out: [String: Any] = [:]
            for (key, value) in dictionary {
                if let personal = PersonalKey.field(of: key) {
                    out[key] = maskEverything(value, as: personal)
                } else if let text = value as? String {
                    if key == "value" || key == "current_value" {
                        // A value of no known field (`syncctl conflicts resolve --value` in an
                        // admin.action entry) may be an address, which free text cannot tell.
                        out[key] = localField.map { maskedFields.contains($0) ? Self.value(text, field: $0) : text } ?? address(text)
                    } else if structuralKeys.contains(key) || key.hasSuffix("_at") {
                        out[key] = text
                    } else {
                        out[key] = freeText(text)
                    }
                } else {
                    out[key] = mask(value, field: localField)
                }
            }
            return out
        case let array as [Any]:
            return array.map { mask($0, field: field) }
        case let text as String:
            if let field, maskedFields.contains(field) { return Self.value(text, field: field) }
            return freeText(text)
        default:
            return object
        }
    }

    /// Every value in `object` (a key's value, or all inside an object or array under such a
    /// key: `{"shipping_address": {"line1": …, "city": …}}`), masked as `field`. Numbers count
    /// (a phone number sent as a JSON number); `true`/`false` and `null` say nothing personal.
    private static func maskEverything(_ object: Any, as field: String) -> Any {
        switch object {
        case let dictionary as [String: Any]: return dictionary.mapValues { maskEverything($0, as: field) }
        case let array as [Any]: return array.map { maskEverything($0, as: field) }
        case let text as String: return value(text, field: field)
        case let number as NSNumber where type(of: number) != booleanType: return value(number.stringValue, field: field)
        default: return object
        }
    }

    private static let booleanType = type(of: NSNumber(value: true))

    // `@+`: an address refused for its doubled `@` (quoted in a quarantine reason) is one too.
    private static let emailPattern = try! NSRegularExpression(pattern: #"[\p{L}\p{N}._%+\-]+@+[\p{L}\p{N}\-]+(\.[\p{L}\p{N}\-]+)+"#)
    // A digit run with the separators people type in phone numbers, not glued to a word.
    private static let phonePattern = try! NSRegularExpression(pattern: #"(?<![\p{L}\p{N}_\-])\+?\p{Nd}[\p{Nd} \-().]{5,}\p{Nd}"#)

    private static func replace(_ pattern: NSRegularExpression, in text: String, _ transform: (String) -> String) -> String {
        let ns = text as NSString
        var result = ""
        var last = 0
        for match in pattern.matches(in: text, range: NSRange(location: 0, length: ns.length)) {
            result += ns.substring(with: NSRange(location: last, length: match.range.location - last))
            result += transform(ns.substring(with: match.range))
            last = match.range.location + match.range.length
        }
        result += ns.substring(from: last)
        return result
    }

    /// Keeps the first three and last four digits of a run (all hidden when shorter than 8).
    private static func digitRun(_ text: String) -> String {
        let total = text.filter(\.isNumber).count
        var seen = 0
        return String(text.map { character -> Character in
            guard character.isNumber else { return character }
            defer { seen += 1 }
            if total >= 8 && (seen < 3 || seen >= total - 4) { return character }
            return "*"
        })
    }

    private static func stars(_ text: String) -> String {
        text.isEmpty ? text : "\(text.prefix(1))***"
    }
}
