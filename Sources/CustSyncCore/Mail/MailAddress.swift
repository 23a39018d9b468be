/// One mailbox from an address header: the address as written and the decoded display name.
public struct MailAddress: Sendable, Equatable, CustomStringConvertible {
    public var address: String
    public var displayName: String?

    public init(address: String, displayName: String? = nil) {
        self.address = address
        self.displayName = displayName
    }

    public var description: String {
        displayName.map { "\($0) <\(address)>" } ?? address
    }

    /// Parses an address list (`From`, `To`, `Cc`): `"张伟" <zw@example.com>`,
    /// `=?GBK?B?...?= <x@y>`, `zw@example.com (Zhang Wei)`, groups (`team: a@x, b@y;`).
    /// Entries without an `@` are dropped (`undisclosed-recipients:;`).
    public static func parseList(_ text: String) -> [MailAddress] {
        splitTopLevel(text).compactMap(parseOne)
    }

    /// Splits at commas outside quotes, angle brackets and comments; group names end at `:`.
    private static func splitTopLevel(_ text: String) -> [String] {
        var parts: [String] = []
        var current = ""
        var inQuote = false
        var escaped = false
        var angle = 0
        var comment = 0
        for ch in text {
            if escaped { current.append(ch); escaped = false; continue }
            switch ch {
            case "\\" where inQuote || comment > 0:
                escaped = true
                current.append(ch)
            case "\"" where comment == 0:
                inQuote.toggle()
                current.append(ch)
            case "(" where !inQuote:
                comment += 1
                current.append(ch)
            case ")" where !inQuote && comment > 0:
                comment -= 1
                current.append(ch)
            case "<" where !inQuote && comment == 0:
                angle += 1
                current.append(ch)
            case ">" where !inQuote && comment == 0 && angle > 0:
                angle -= 1
                current.append(ch)
            case "," where !inQuote && comment == 0 && angle == 0,
                 ";" where !inQuote && comment == 0 && angle == 0:
                parts.append(current)
                current = ""
            case ":" where !inQuote && comment == 0 && angle == 0:
                current = ""  // a group's display name: not an address
            default:
                current.append(ch)
            }
        }
        parts.append(current)
        return parts
    }

    private static func parseOne(_ raw: String) -> MailAddress? {
        let entry = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !entry.isEmpty else { return nil }
        if let open = entry.lastIndex(of: "<"), let close = entry[open...].firstIndex(of: ">") {
            let address = entry[entry.index(after: open)..<close].trimmingCharacters(in: .whitespaces)
            guard address.contains("@") else { return nil }
            let phrase = String(entry[..<open])
            return MailAddress(address: address, displayName: displayName(phrase))
        }
        // addr-spec, possibly with a trailing comment holding the name.
        var address = entry
        var name: String?
        if let open = entry.firstIndex(of: "("), let close = entry.lastIndex(of: ")"), open < close {
            name = displayName(String(entry[entry.index(after: open)..<close]))
            address = (String(entry[..<open]) + String(entry[entry.index(after: close)...]))
                .trimmingCharacters(in: .whitespaces)
        }
        guard address.contains("@"), !address.contains(where: { $0 == " " || $0 == "\"" }) else { return nil }
        return MailAddress(address: address, displayName: name)
    }

    /// Unquotes a phrase and decodes encoded words in it, including inside quotes, which many
    /// clients produce although RFC 2047 forbids it.
    private static func displayName(_ phrase: String) -> String? {
        var text = phrase.trimmingCharacters(in: .whitespacesAndNewlines)
        var unquoted = ""
        var inQuote = false
        var escaped = false
        for ch in text {
            if escaped { unquoted.append(ch); escaped = false; continue }
            if ch == "\\" && inQuote { escaped = true; continue }
            if ch == "\"" { inQuote.toggle(); continue }
            unquoted.append(ch)
        }
        text = EncodedWordDecoder.decode(unquoted).trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? nil : text
    }
}
