/// Renders customer codes from a template such as `KH-{seq:7}` or `KH-{region}-{seq:7}{check}`.
/// The sequence number comes from the store and is never reused, so codes stay unique even when
/// the template changes for new customers.
public struct CustomerCodeRule: Sendable, Equatable {
    public let template: String

    public init(template: String) { self.template = template }

    /// The code for sequence number `seq`; field segments come from `fields` (blank → `X`).
    public func render(seq: Int64, fields: [CanonicalField: String] = [:]) -> String {
        var out = ""
        var rest = Substring(template)
        var digits = ""
        while let open = rest.firstIndex(of: "{") {
            out += rest[..<open]
            guard let close = rest[open...].firstIndex(of: "}") else { break }
            let placeholder = rest[rest.index(after: open)..<close]
            let parts = placeholder.split(separator: ":", maxSplits: 1)
            switch parts.first.map(String.init) ?? "" {
            case "seq":
                let width = parts.count > 1 ? Int(parts[1]) ?? 1 : 1
                let number = String(seq)
                let padded = String(repeating: "0", count: max(0, width - number.count)) + number
                digits += padded
                out += padded
            case "check":
                out += String(Self.checkDigit(for: digits))
            case let name:
                let value = CanonicalField(rawValue: name).flatMap { fields[$0] } ?? ""
                let segment = value.uppercased().filter { $0.isLetter || $0.isNumber }
                out += segment.isEmpty ? "X" : String(segment.prefix(8))
            }
            rest = rest[rest.index(after: close)...]
        }
        out += rest
        return out
    }

    /// Whether `text` has the shape of a code this template makes: its fixed text in place and
    /// digits where the sequence and check digit go (field segments may be anything).
    public func looksLikeCode(_ text: String) -> Bool {
        let prefix = String(template.prefix { $0 != "{" })
        return text.hasPrefix(prefix) && text.count > prefix.count && (text.last?.isNumber ?? false)
    }

    /// Whether the template ends its sequence with a check digit.
    public var hasCheckDigit: Bool { template.contains("{check}") }

    /// Luhn check digit over `digits`: catches every single-digit typo and most transpositions.
    public static func checkDigit(for digits: String) -> Int {
        var sum = 0
        for (index, char) in digits.reversed().enumerated() {
            guard var d = char.wholeNumberValue else { continue }
            if index % 2 == 0 { d *= 2; if d > 9 { d -= 9 } }
            sum += d
        }
        return (10 - sum % 10) % 10
    }

    /// Whether `code`'s trailing check digit matches the digits before it. Codes made under a
    /// template without `{check}` cannot be verified and pass.
    public static func checkDigitIsValid(_ code: String) -> Bool {
        guard let last = code.last?.wholeNumberValue else { return false }
        let body = code.dropLast()
        let trailingDigits = String(body.reversed().prefix { $0.isNumber }.reversed())
        guard !trailingDigits.isEmpty else { return false }
        return checkDigit(for: trailingDigits) == last
    }
}
