/// Renders customer codes from a template such as `KH-{seq:7}` or `KH-{region}-{seq:7}{check}`,
/// as `[Codes]` parsed and checked it (`CodeSettings`). The sequence number comes from the store
/// and is never reused, so codes stay unique even when the template changes for new customers.
public struct CustomerCodeRule: Sendable, Equatable {
    public let segments: [CodeTemplateSegment]

    public init(_ codes: CodeSettings) { segments = codes.segments }

    /// The rule of a template written out (`KH-{seq:7}`); throws what `[Codes]` would report.
    public init(template: String) throws(ConfigValueError) {
        segments = try CodeSettings.parse(template: template)
    }

    /// The code for sequence number `seq`; field segments come from `fields` (blank → `X`).
    public func render(seq: Int64, fields: [CanonicalField: String] = [:]) -> String {
        var out = ""
        var digits = ""
        for segment in segments {
            switch segment {
            case .literal(let text):
                out += text
            case .sequence(let width):
                let number = String(seq)
                let padded = String(repeating: "0", count: max(0, (width ?? 1) - number.count)) + number
                digits += padded
                out += padded
            case .check:
                out += String(Self.checkDigit(for: digits))
            case .field(let field):
                let value = (fields[field] ?? "").uppercased().filter { $0.isLetter || $0.isNumber }
                out += value.isEmpty ? "X" : String(value.prefix(8))
            }
        }
        return out
    }

    /// Whether `text` has the shape of a code this template makes: its leading fixed text in
    /// place and a digit last, where the sequence or check digit goes.
    public func looksLikeCode(_ text: String) -> Bool {
        let prefix: String
        if case .literal(let text)? = segments.first { prefix = text } else { prefix = "" }
        return text.hasPrefix(prefix) && text.count > prefix.count && (text.last?.isNumber ?? false)
    }

    /// Whether the template ends its sequence with a check digit.
    public var hasCheckDigit: Bool { segments.contains(.check) }

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
