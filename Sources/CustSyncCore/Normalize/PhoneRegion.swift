/// The numbering facts `PhoneNumber` needs for the regions whose *national* numbers it can
/// interpret. Deliberately small: customers are mostly in mainland China; the others cover
/// the usual overseas customers. Numbers from other countries are still accepted when written
/// internationally (`+…` or `00…`), with only the E.164 length check.
struct PhoneRegion: Sendable {
    /// How strictly national significant numbers are checked.
    enum Plan: Sendable {
        /// Mainland China: mobiles, area-coded landlines, 400/800 numbers.
        case china
        /// North American Numbering Plan: NPA-NXX-XXXX, neither NPA nor NXX starting with 0 or 1.
        case nanp
        /// Only the length of the national significant number is checked.
        case lengths(ClosedRange<Int>)
    }

    /// ISO 3166 alpha-2 code, upper-case.
    var region: String
    /// E.164 country calling code, without `+`.
    var countryCode: String
    /// Digit dialled before a national number inside the country (`0` in most of the table).
    var trunkPrefix: String?
    var plan: Plan

    static let china = PhoneRegion(region: "CN", countryCode: "86", trunkPrefix: "0", plan: .china)

    static let all: [PhoneRegion] = [
        china,
        PhoneRegion(region: "US", countryCode: "1", trunkPrefix: "1", plan: .nanp),
        PhoneRegion(region: "CA", countryCode: "1", trunkPrefix: "1", plan: .nanp),
        PhoneRegion(region: "GB", countryCode: "44", trunkPrefix: "0", plan: .lengths(9...10)),
        PhoneRegion(region: "DE", countryCode: "49", trunkPrefix: "0", plan: .lengths(6...13)),
        PhoneRegion(region: "FR", countryCode: "33", trunkPrefix: "0", plan: .lengths(9...9)),
        PhoneRegion(region: "JP", countryCode: "81", trunkPrefix: "0", plan: .lengths(9...10)),
        PhoneRegion(region: "HK", countryCode: "852", trunkPrefix: nil, plan: .lengths(8...8)),
        PhoneRegion(region: "TW", countryCode: "886", trunkPrefix: "0", plan: .lengths(8...9)),
        PhoneRegion(region: "SG", countryCode: "65", trunkPrefix: nil, plan: .lengths(8...8)),
    ]

    /// Looks a region up by its ISO code, case-insensitively (`UK` is accepted for `GB`).
    static func named(_ code: String) -> PhoneRegion? {
        var key = code.uppercased()
        if key == "UK" { key = "GB" }
        return all.first { $0.region == key }
    }

    /// The known region whose country code starts `digits` (country codes are prefix-free,
    /// so at most one matches; the first NANP entry stands for all of them).
    static func forInternational(_ digits: String) -> PhoneRegion? {
        all.first { digits.hasPrefix($0.countryCode) }
    }

    var isNANP: Bool {
        if case .nanp = plan { return true }
        return false
    }
}
