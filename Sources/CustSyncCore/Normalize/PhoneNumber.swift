import Foundation

/// A phone number in E.164 form, with any extension kept apart.
///
/// Phone numbers are identity keys, so every spelling of one number must produce the same
/// `e164` (`１３８００１３８０００`, `+86 138-0013-8000`, `0086 13800138000` and `8613800138000`
/// all become `+8613800138000`), and anything that cannot be placed with confidence is
/// rejected rather than guessed: a wrong key merges two customers.
public struct PhoneNumber: Hashable, Sendable, CustomStringConvertible {
    /// `+` followed by the country code and national significant number, e.g. `+8613800138000`.
    public let e164: String
    /// Digits of an extension (`ext. 123`, `x123`, `转123`, `#123`), kept out of `e164` so the
    /// switchboard number still matches other records of the same company.
    public let extensionNumber: String?

    /// Parses a number as people type it.
    ///
    /// - Parameters:
    ///   - raw: the text from the source; full-width digits, separators (spaces, `-`, `.`, `/`,
    ///     parentheses), a `tel:` prefix and an extension are accepted.
    ///   - defaultRegion: ISO code of the region national numbers belong to (`CN`, `US`, `CA`,
    ///     `GB`, `DE`, `FR`, `JP`, `HK`, `TW`, `SG`). Numbers written with `+` or `00` are read
    ///     as international whatever this says.
    public init(parsing raw: String, defaultRegion: String) throws(NormalizationError) {
        let quoted = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        var text = TextFolding.fold(raw).lowercased()
        if text.hasPrefix("tel:") { text = String(text.dropFirst(4)) }
        guard text.contains(where: { $0.isASCII && $0.isNumber }) else {
            throw Self.failure(quoted.isEmpty ? "phone number is empty" : "\"\(quoted)\" is not a phone number (no digits)")
        }

        let (main, explicitExtension) = try Self.splitExtension(text, quoted: quoted)
        let scan = try Self.scan(main, quoted: quoted)
        let region = PhoneRegion.named(defaultRegion)

        if let explicitExtension {
            e164 = try Self.resolve(scan.digits, international: scan.plus, region: region,
                                    regionName: defaultRegion, quoted: quoted).e164
            extensionNumber = explicitExtension
            return
        }
        do {
            e164 = try Self.resolve(scan.digits, international: scan.plus, region: region,
                                    regionName: defaultRegion, quoted: quoted).e164
            extensionNumber = nil
        } catch {
            // `010-12345678-123`: a trailing dash group is an extension only when the digits
            // before it are a complete landline and the whole run is not a valid number.
            guard let last = scan.groups.last, scan.groups.count >= 2,
                  scan.separatorBeforeLast == "-", (1...6).contains(last.count),
                  let head = try? Self.resolve(String(scan.digits.dropLast(last.count)),
                                               international: scan.plus, region: region,
                                               regionName: defaultRegion, quoted: quoted),
                  head.kind == .chineseLandline
            else { throw error }
            e164 = head.e164
            extensionNumber = last
        }
    }

    /// For logs and screens that must not show the whole number: `138****8000` for Chinese
    /// mobiles (the form people recognise), otherwise `+` and the first 3 and last 4 digits.
    public var masked: String {
        let digits = e164.dropFirst()
        if e164.hasPrefix("+861"), digits.count == 13 {
            let national = digits.dropFirst(2)
            return "\(national.prefix(3))****\(national.suffix(4))"
        }
        let hidden = max(digits.count - 7, 1)
        return "+\(digits.prefix(3))\(String(repeating: "*", count: hidden))\(digits.suffix(4))"
    }

    /// `e164`, followed by ` ext. 123` when there is an extension; parses back to the same value.
    public var description: String {
        extensionNumber.map { "\(e164) ext. \($0)" } ?? e164
    }

    // MARK: - Parsing steps

    enum Kind: Equatable {
        case chineseMobile
        case chineseLandline
        case other
    }

    /// Digits of the main number and how they were grouped.
    struct Scan {
        var digits = ""
        var plus = false
        var groups: [String] = []
        /// The separator text (spaces dropped) between the last two digit groups.
        var separatorBeforeLast = ""
    }

    static let separators: Set<Character> = [" ", "-", ".", "/", "(", ")", "\u{2010}", "\u{2011}",
                                              "\u{2012}", "\u{2013}", "\u{2014}", "\u{2212}"]

    /// Extension markers, longest first so `ext` wins over the `x` inside it.
    static let extensionMarkers = [";ext=", "extension", "分机号", "分機號", "ext.", "ext", "分机",
                                   "分機", "转", "轉", "x", "#"]

    static func failure(_ message: String) -> NormalizationError {
        NormalizationError(field: .phone, message: message)
    }

    /// Splits `text` at the first extension marker that follows a digit.
    static func splitExtension(_ text: String, quoted: String) throws(NormalizationError)
        -> (main: String, extension: String?) {
        var sawDigit = false
        var index = text.startIndex
        while index < text.endIndex {
            if sawDigit, let marker = extensionMarkers.first(where: { text[index...].hasPrefix($0) }) {
                let rest = text[text.index(index, offsetBy: marker.count)...]
                    .trimmingCharacters(in: CharacterSet(charactersIn: " .:="))
                let main = String(text[..<index])
                if rest.isEmpty { return (main, nil) }
                guard rest.allSatisfy({ $0.isASCII && $0.isNumber }) else {
                    throw failure("\"\(quoted)\" has an extension that is not a number (\"\(rest)\")")
                }
                guard rest.count <= 8 else {
                    throw failure("\"\(quoted)\" has an extension that is too long (\(rest.count) digits)")
                }
                return (main, rest)
            }
            if text[index].isASCII && text[index].isNumber { sawDigit = true }
            index = text.index(after: index)
        }
        return (text, nil)
    }

    /// Collects digits, rejecting anything that is neither a digit, a separator nor a leading `+`.
    static func scan(_ main: String, quoted: String) throws(NormalizationError) -> Scan {
        var result = Scan()
        var current = ""
        var separator = ""
        for char in main {
            if char.isASCII && char.isNumber {
                current.append(char)
            } else if char == "+" && result.digits.isEmpty && current.isEmpty && !result.plus {
                result.plus = true
            } else if separators.contains(char) {
                if !current.isEmpty {
                    result.groups.append(current)
                    result.digits += current
                    current = ""
                    separator = ""
                }
                if char != " " { separator.append(char) }
            } else {
                throw failure("\"\(quoted)\" contains \"\(char)\", which does not belong in a phone number")
            }
        }
        if !current.isEmpty {
            result.groups.append(current)
            result.digits += current
            result.separatorBeforeLast = separator
        }
        return result
    }

    /// Turns the digit string into E.164, or explains why it cannot.
    static func resolve(_ digits: String, international: Bool, region: PhoneRegion?,
                        regionName: String, quoted: String) throws(NormalizationError)
        -> (e164: String, kind: Kind) {
        let count = digits.count
        if count < 7 { throw failure("\"\(quoted)\" is too short for a phone number (\(count) digits)") }
        if count > 17 { throw failure("\"\(quoted)\" is too long for a phone number (\(count) digits)") }

        if international {
            return try resolveInternational(digits, typed: count, quoted: quoted)
        }
        if digits.hasPrefix("00") {
            return try resolveInternational(String(digits.dropFirst(2)), typed: count, quoted: quoted)
        }
        guard let region else {
            throw failure("\"\(quoted)\" has no country code and the default region \"\(regionName)\" is not supported")
        }
        switch region.plan {
        case .china:
            // `86…` without `+` cannot be a Chinese national number (mobiles start with 1,
            // trunk-dialled numbers with 0), so it is the country code.
            if digits.hasPrefix("86") && count >= 12 {
                return try resolveInternational(digits, typed: count, quoted: quoted)
            }
            let trunk = digits.hasPrefix("0")
            let nsn = trunk ? String(digits.dropFirst()) : digits
            if !trunk, (7...8).contains(count), let first = digits.first, ("2"..."9").contains(first) {
                throw failure("\"\(quoted)\" is a local number without an area code")
            }
            return try Self.national(nsn, in: region, typed: count, quoted: quoted)
        case .nanp:
            if digits.hasPrefix("011") {
                return try resolveInternational(String(digits.dropFirst(3)), typed: count, quoted: quoted)
            }
            if count == 7 { throw failure("\"\(quoted)\" is a local number without an area code") }
            let nsn = count == 11 && digits.hasPrefix("1") ? String(digits.dropFirst()) : digits
            return try Self.national(nsn, in: region, typed: count, quoted: quoted)
        case .lengths:
            var nsn = digits
            if let trunk = region.trunkPrefix {
                guard digits.hasPrefix(trunk) else {
                    throw failure("\"\(quoted)\" is not a complete \(region.region) number (national numbers start with \(trunk); add it or a country code)")
                }
                nsn = String(digits.dropFirst(trunk.count))
            }
            return try Self.national(nsn, in: region, typed: count, quoted: quoted)
        }
    }

    /// `digits` starts with a country code (the `+` or `00` already removed).
    static func resolveInternational(_ digits: String, typed: Int, quoted: String) throws(NormalizationError)
        -> (e164: String, kind: Kind) {
        let count = digits.count
        guard let first = digits.first, first != "0" else {
            throw failure("\"\(quoted)\" does not start with a valid country code")
        }
        if count < 8 { throw failure("\"\(quoted)\" is too short for an international phone number (\(count) digits after the prefix)") }
        if count > 15 { throw failure("\"\(quoted)\" is too long for an international phone number (\(count) digits after the prefix)") }
        guard let region = PhoneRegion.forInternational(digits) else {
            return ("+" + digits, .other)
        }
        var national = String(digits.dropFirst(region.countryCode.count))
        // `+44 (0)20 …`, `+86 0755 …`: the trunk prefix written after the country code.
        if let trunk = region.trunkPrefix, !region.isNANP, national.hasPrefix(trunk) {
            national = String(national.dropFirst(trunk.count))
        }
        return try Self.national(national, in: region, typed: typed, quoted: quoted)
    }

    /// Validates a national significant number (no trunk prefix) of a known region.
    static func national(_ nsn: String, in region: PhoneRegion, typed: Int, quoted: String)
        throws(NormalizationError) -> (e164: String, kind: Kind) {
        let tooShort = failure("\"\(quoted)\" is too short for a phone number (\(typed) digits)")
        let tooLong = failure("\"\(quoted)\" is too long for a phone number (\(typed) digits)")
        let e164 = "+" + region.countryCode + nsn
        let count = nsn.count
        let digits = Array(nsn)

        switch region.plan {
        case .china:
            guard let first = digits.first else { throw tooShort }
            if first == "1", count >= 2, ("3"..."9").contains(digits[1]) {
                if count < 11 { throw tooShort }
                if count > 11 { throw tooLong }
                return (e164, .chineseMobile)
            }
            if nsn.hasPrefix("400") || nsn.hasPrefix("800") {
                if count < 10 { throw tooShort }
                if count > 10 { throw tooLong }
                return (e164, .other)
            }
            let areaLength: Int
            if nsn.hasPrefix("10") || first == "2" {
                areaLength = 2
            } else if ("3"..."9").contains(first) {
                areaLength = 3
            } else {
                throw failure("\"\(quoted)\" is not a valid Chinese phone number")
            }
            let subscriber = count - areaLength
            if subscriber < 7 { throw tooShort }
            if subscriber > 8 { throw tooLong }
            return (e164, .chineseLandline)

        case .nanp:
            if count < 10 { throw tooShort }
            if count > 10 { throw tooLong }
            guard ("2"..."9").contains(digits[0]), ("2"..."9").contains(digits[3]) else {
                throw failure("\"\(quoted)\" is not a valid North American number (area code and exchange cannot start with 0 or 1)")
            }
            return (e164, .other)

        case .lengths(let lengths):
            if count < lengths.lowerBound { throw tooShort }
            if count > lengths.upperBound { throw tooLong }
            return (e164, .other)
        }
    }
}
