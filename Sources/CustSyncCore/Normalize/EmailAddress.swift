import Foundation

/// An e-mail address in one canonical spelling, used as an identity key.
///
/// The whole address is lower-cased: the local part is case-sensitive in theory, but no
/// mailbox provider our customers use treats it so, and `Zhang.Wei@` and `zhang.wei@` being
/// two customers would be the worse error. Provider-specific aliasing (dots, `+tags`) is only
/// undone for the domains configured to have it, because elsewhere `a.b@` and `ab@` may well
/// be different people.
public struct EmailAddress: Hashable, Sendable, CustomStringConvertible {
    /// `local@domain`, folded and lower-cased, with configured aliasing removed.
    public let normalized: String

    /// Parses an address as it appears in sources.
    ///
    /// Accepts surrounding whitespace, `<…>` (also with a display name before it, as in a
    /// `From:` header: `Zhang Wei <zw@example.com>`), a `mailto:` prefix (and query), full-width
    /// characters (`＠`, `．`) and the ideographic full stop `。` that Chinese IMEs type for `.`.
    ///
    /// - Parameters:
    ///   - ignoreDotsDomains: domains whose mailboxes ignore dots in the local part (`gmail.com`).
    ///   - stripPlusTagDomains: domains that deliver `name+tag@` to `name@`.
    public init(parsing raw: String, ignoreDotsDomains: Set<String> = [],
                stripPlusTagDomains: Set<String> = []) throws(NormalizationError) {
        let quoted = QuotedInput(raw)
        var local: String
        let domain: String
        if let simple = Self.simpleParts(raw) {  // the usual `c12345@example.com`
            (local, domain) = simple
        } else {
            (local, domain) = try Self.parts(parsing: raw, quoted: quoted)
        }

        if Self.contains(stripPlusTagDomains, domain), let plus = local.firstIndex(of: "+"),
           plus != local.startIndex {
            local = String(local[..<plus])
        }
        if Self.contains(ignoreDotsDomains, domain) {
            let undotted = local.replacingOccurrences(of: ".", with: "")
            if !undotted.isEmpty { local = undotted }
        }
        normalized = local + "@" + domain
        guard normalized.utf8.count <= 254 else {
            throw Self.failure("\"\(quoted)\" is too long for an e-mail address")
        }
    }

    /// The part before the `@`.
    public var localPart: String { String(normalized[..<atIndex]) }

    /// The part after the `@`.
    public var domain: String { String(normalized[normalized.index(after: atIndex)...]) }

    /// For logs and screens: the first character of the local part, `***`, and the domain
    /// (`z***@example.com`); the domain stays visible because it is rarely personal and helps
    /// support staff recognise the customer.
    public var masked: String { "\(normalized.prefix(1))***@\(domain)" }

    public var description: String { normalized }

    private var atIndex: String.Index {
        // Validated in `init`: exactly one `@`.
        normalized.firstIndex(of: "@") ?? normalized.endIndex
    }

    // MARK: - Validation

    /// Characters allowed unquoted in a local part besides letters and digits (RFC 5322 atext).
    static let localSymbols = Set("!#$%&'*+/=?^_`{|}~-.")

    /// Cleans up and splits an address in any of the accepted spellings, and validates both parts.
    static func parts(parsing raw: String, quoted: QuotedInput) throws(NormalizationError)
        -> (local: String, domain: String) {
        var text = TextFolding.nfkc(TextFolding.removingZeroWidth(raw)).trimmingWhitespace()
        guard !text.isEmpty else { throw Self.failure("e-mail address is empty") }

        if text.hasSuffix(">"), let open = text.lastIndex(of: "<") {
            text = text[text.index(after: open)..<text.index(before: text.endIndex)].trimmingWhitespace()
        }
        if text.lowercased().hasPrefix("mailto:") {
            text = String(text.dropFirst("mailto:".count))
            if let query = text.firstIndex(of: "?") { text = String(text[..<query]) }
            text = text.trimmingWhitespace()
        }
        text = text.lowercased().replacingOccurrences(of: "\u{3002}", with: ".")

        if text.contains(where: { $0.isWhitespace }) {
            throw Self.failure("\"\(quoted)\" contains a space, which is not allowed in an e-mail address")
        }
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count >= 2 else { throw Self.failure("\"\(quoted)\" has no \"@\"") }
        guard parts.count == 2 else { throw Self.failure("\"\(quoted)\" contains more than one \"@\"") }
        let local = String(parts[0])
        var domain = String(parts[1])
        guard !local.isEmpty else { throw Self.failure("\"\(quoted)\" has nothing before the \"@\"") }
        // A sentence-final full stop copied along with the address: `… at zw@example.com.`
        while domain.hasSuffix(".") { domain.removeLast() }
        guard !domain.isEmpty else { throw Self.failure("\"\(quoted)\" has no domain after the \"@\"") }

        try Self.validateLocal(local, quoted: quoted)
        try Self.validateDomain(domain, quoted: quoted)
        return (local, domain)
    }

    /// The fast path of `parts(parsing:quoted:)`, for a plain address such as `c12345@example.com`:
    /// its lower-cased parts when `raw` is printable ASCII that `parts` would accept with no
    /// change but lower-casing, nil for anything else. Such input has nothing for NFKC, trimming,
    /// `<…>`, `mailto:` (no `<`, `>`, `:`) or `。` to do, and its parts pass the same checks.
    static func simpleParts(_ raw: String) -> (local: String, domain: String)? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(raw.utf8.count)
        var at: Int?
        for byte in raw.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"):
                bytes.append(byte + 0x20)
            case UInt8(ascii: "@"):
                guard at == nil else { return nil }
                at = bytes.count
                bytes.append(byte)
            case 0x21...0x7E:
                bytes.append(byte)
            default:
                return nil
            }
        }
        guard let at else { return nil }
        let local = bytes[..<at], domain = bytes[(at + 1)...]

        // The checks of `validateLocal`.
        let dot = UInt8(ascii: "."), hyphen = UInt8(ascii: "-")
        guard !local.isEmpty, local.count <= 64,
              local.allSatisfy({ isASCIIAlphanumeric($0) || localSymbolBytes.contains($0) }),
              local.first != dot, local.last != dot, !zip(local, local.dropFirst()).contains(where: { $0 == (dot, dot) })
        else { return nil }

        // The checks of `validateDomain`; a trailing dot is left to `parts`, which drops it.
        let labels = domain.split(separator: dot, omittingEmptySubsequences: false)
        guard labels.count >= 2,
              labels.allSatisfy({ label in
                  !label.isEmpty && label.count <= 63
                      && label.allSatisfy { isASCIIAlphanumeric($0) || $0 == hyphen }
                      && label.first != hyphen && label.last != hyphen
              }),
              let tld = labels.last, !tld.allSatisfy(isASCIIDigit)
        else { return nil }

        return (String(decoding: local, as: UTF8.self), String(decoding: domain, as: UTF8.self))
    }

    /// `localSymbols` as bytes.
    static let localSymbolBytes = Set(localSymbols.compactMap(\.asciiValue))

    static func isASCIIDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }

    /// Lower-case letters and digits: for ASCII, what `Character.isLetter || isNumber` accepts
    /// after lower-casing.
    static func isASCIIAlphanumeric(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || isASCIIDigit(byte)
    }

    static func failure(_ message: String) -> NormalizationError {
        NormalizationError(field: .email, message: message)
    }

    static func contains(_ domains: Set<String>, _ domain: String) -> Bool {
        // NFKC leaves ASCII alone, and configured domains usually are ASCII.
        domains.contains { ($0.utf8.allSatisfy { $0 < 0x80 } ? $0 : TextFolding.nfkc($0)).lowercased() == domain }
    }

    static func validateLocal(_ local: String, quoted: QuotedInput) throws(NormalizationError) {
        if let bad = local.first(where: { !($0.isLetter || $0.isNumber || localSymbols.contains($0)) }) {
            throw failure("\"\(quoted)\" contains \"\(bad)\", which is not allowed in an e-mail address")
        }
        if local.hasPrefix(".") || local.hasSuffix(".") || local.contains("..") {
            throw failure("\"\(quoted)\" has a misplaced dot before the \"@\"")
        }
        if local.utf8.count > 64 {
            throw failure("\"\(quoted)\" has a local part longer than 64 characters")
        }
    }

    static func validateDomain(_ domain: String, quoted: QuotedInput) throws(NormalizationError) {
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2 else {
            throw failure("\"\(quoted)\" has no dot in its domain \"\(domain)\"")
        }
        for label in labels {
            guard !label.isEmpty else {
                throw failure("\"\(quoted)\" has an empty part in its domain \"\(domain)\"")
            }
            if let bad = label.first(where: { !($0.isLetter || $0.isNumber || $0 == "-") }) {
                throw failure("\"\(quoted)\" contains \"\(bad)\" in its domain, which is not allowed")
            }
            if label.hasPrefix("-") || label.hasSuffix("-") {
                throw failure("\"\(quoted)\" has a domain part starting or ending with \"-\"")
            }
            if label.utf8.count > 63 {
                throw failure("\"\(quoted)\" has a domain part longer than 63 characters")
            }
        }
        if let tld = labels.last, tld.allSatisfy(\.isNumber) {
            throw failure("\"\(quoted)\" has a numeric top-level domain \"\(tld)\"")
        }
    }
}
