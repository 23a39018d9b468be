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
        let quoted = QuotedInput(raw)
        var text = TextFolding.fold(raw).lowercased()
        if text.hasPrefix("tel:") { text = String(text.dropFirst(4)) }
        guard text.contains(where: { $0.isASCII && $0.isNumber }) else {
            throw Self.failure(quoted.description.isEmpty ? "phone number is empty" : "\"\(quoted)\" is not a phone number (no digits)")
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
            let last = scan.lastGroup
            guard scan.groupCount >= 2,
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
    struct Scan: Equatable {
        var digits = ""
        var plus = false
        /// How many digit groups there were, and the last of them.
        var groupCount = 0
        var lastGroup = ""
        /// The separator text (spaces dropped) between the last two digit groups.
        var separatorBeforeLast = ""

        mutating func addGroup(_ group: String) {
            groupCount += 1
            lastGroup = group
            digits += group
        }
    }

    static let separators: Set<Character> = [" ", "-", ".", "/", "(", ")", "\u{2010}", "\u{2011}",
                                              "\u{2012}", "\u{2013}", "\u{2014}", "\u{2212}"]

    /// Extension markers, longest first so `ext` wins over the `x` inside it.
    static let extensionMarkers = [";ext=", "extension", "分机号", "分機號", "ext.", "ext", "分机",
                                   "分機", "转", "轉", "x", "#"]

    static func failure(_ message: String) -> NormalizationError {
        NormalizationError(field: .phone, message: message)
    }

    /// The bytes of `text` if it is printable ASCII (U+0020…U+007E), as it usually is: then
    /// each byte is one character, which the fast paths below rely on.
    static func printableASCII(_ text: String) -> [UInt8]? {
        text.utf8.allSatisfy { (0x20...0x7E).contains($0) } ? Array(text.utf8) : nil
    }

    static func isASCIIDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }

    /// Splits `text` at the first extension marker that follows a digit.
    static func splitExtension(_ text: String, quoted: QuotedInput) throws(NormalizationError)
        -> (main: String, extension: String?) {
        if let bytes = printableASCII(text) {
            return try splitExtension(asciiBytes: bytes, quoted: quoted)
        }
        return try splitExtension(characters: text, quoted: quoted)
    }

    static func splitExtension(characters text: String, quoted: QuotedInput) throws(NormalizationError)
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

    /// `extensionMarkers` that are ASCII, in the same order, as bytes: no other can match ASCII text.
    static let asciiExtensionMarkers = extensionMarkers.filter { $0.utf8.allSatisfy { $0 < 0x80 } }.map { Array($0.utf8) }

    /// What `splitExtension` trims around an extension, as bytes.
    static let extensionPadding = Set(" .:=".utf8)

    /// `splitExtension(characters:quoted:)` for the bytes of printable ASCII text.
    static func splitExtension(asciiBytes text: [UInt8], quoted: QuotedInput) throws(NormalizationError)
        -> (main: String, extension: String?) {
        var sawDigit = false
        for index in text.indices {
            if sawDigit, let marker = asciiExtensionMarkers.first(where: { text[index...].starts(with: $0) }) {
                var rest = text[(index + marker.count)...]
                while let first = rest.first, extensionPadding.contains(first) { rest.removeFirst() }
                while let last = rest.last, extensionPadding.contains(last) { rest.removeLast() }
                let main = String(decoding: text[..<index], as: UTF8.self)
                let restText = String(decoding: rest, as: UTF8.self)
                if rest.isEmpty { return (main, nil) }
                guard rest.allSatisfy(isASCIIDigit) else {
                    throw failure("\"\(quoted)\" has an extension that is not a number (\"\(restText)\")")
                }
                guard rest.count <= 8 else {
                    throw failure("\"\(quoted)\" has an extension that is too long (\(rest.count) digits)")
                }
                return (main, restText)
            }
            if isASCIIDigit(text[index]) { sawDigit = true }
        }
        return (String(decoding: text, as: UTF8.self), nil)
    }

    /// Collects digits, rejecting anything that is neither a digit, a separator nor a leading `+`.
    static func scan(_ main: String, quoted: QuotedInput) throws(NormalizationError) -> Scan {
        if let bytes = printableASCII(main) {
            return try scan(asciiBytes: bytes, quoted: quoted)
        }
        return try scan(characters: main, quoted: quoted)
    }

    static func scan(characters main: String, quoted: QuotedInput) throws(NormalizationError) -> Scan {
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
                    result.addGroup(current)
                    current = ""
                    separator = ""
                }
                if char != " " { separator.append(char) }
            } else {
                throw failure("\"\(quoted)\" contains \"\(char)\", which does not belong in a phone number")
            }
        }
        if !current.isEmpty {
            result.addGroup(current)
            result.separatorBeforeLast = separator
        }
        return result
    }

    /// `separators` that are ASCII, as bytes.
    static let asciiSeparators = Set(separators.compactMap(\.asciiValue))

    /// `scan(characters:quoted:)` for the bytes of printable ASCII text. After a digit only
    /// digits and separators are accepted, so each group is a run of digits in `main`.
    static func scan(asciiBytes main: [UInt8], quoted: QuotedInput) throws(NormalizationError) -> Scan {
        var result = Scan()
        var groupStart: Int?  // of the group being read
        var separator = ""
        for (index, byte) in main.enumerated() {
            if isASCIIDigit(byte) {
                if groupStart == nil { groupStart = index }
            } else if byte == UInt8(ascii: "+") && result.digits.isEmpty && groupStart == nil && !result.plus {
                result.plus = true
            } else if asciiSeparators.contains(byte) {
                if let start = groupStart {
                    result.addGroup(String(decoding: main[start..<index], as: UTF8.self))
                    groupStart = nil
                    separator = ""
                }
                if byte != UInt8(ascii: " ") { separator.append(Character(Unicode.Scalar(byte))) }
            } else {
                throw failure("\"\(quoted)\" contains \"\(Character(Unicode.Scalar(byte)))\", which does not belong in a phone number")
            }
        }
        if let start = groupStart {
            result.addGroup(String(decoding: main[start...], as: UTF8.self))
            result.separatorBeforeLast = separator
        }
        return result
    }

    /// Turns the digit string into E.164, or explains why it cannot. (Here and below, digit
    /// strings hold ASCII digits only, so `utf8.count` is their length in characters.)
    static func resolve(_ digits: String, international: Bool, region: PhoneRegion?,
                        regionName: String, quoted: QuotedInput) throws(NormalizationError)
        -> (e164: String, kind: Kind) {
        let count = digits.utf8.count
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
            // Ten digits from 3 to 9 without the 0 are a 3-digit area code and a 7-digit
            // subscriber, or a mobile whose leading 1 was lost (139 1234 5678 → 391-2345678,
            // a real Jiaozuo number): the same digits, two different keys. 400/800 service
            // numbers are written this way and stay accepted.
            if !trunk, count == 10, let first = digits.first, ("3"..."9").contains(first),
               !nsn.hasPrefix("400"), !nsn.hasPrefix("800") {
                throw failure("\"\(quoted)\" is not a complete Chinese number (a landline needs the 0 before its area code; a mobile has 11 digits starting with 1)")
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
    static func resolveInternational(_ digits: String, typed: Int, quoted: QuotedInput) throws(NormalizationError)
        -> (e164: String, kind: Kind) {
        let count = digits.utf8.count
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
    static func national(_ nsn: String, in region: PhoneRegion, typed: Int, quoted: QuotedInput)
        throws(NormalizationError) -> (e164: String, kind: Kind) {
        var tooShort: NormalizationError { failure("\"\(quoted)\" is too short for a phone number (\(typed) digits)") }
        var tooLong: NormalizationError { failure("\"\(quoted)\" is too long for a phone number (\(typed) digits)") }
        let e164 = "+" + region.countryCode + nsn
        let count = nsn.utf8.count
        let digits = Array(nsn.unicodeScalars)

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
            // Beijing (10) and the 02x cities have had 8-digit numbers since the 1990s; only
            // 3-digit areas still have 7. Seven digits after 02 are mostly a Taipei number
            // (02-2345-6789) without its +886, which would otherwise become a Tianjin key.
            if subscriber < (areaLength == 2 ? 8 : 7) { throw tooShort }
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
