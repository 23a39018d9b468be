import Foundation

/// The `[Identity]` section: how customers from different sources are recognised as the same.
public struct IdentitySettings: Sendable, Equatable {
    /// ISO 3166 alpha-2, upper case; the region assumed for phone numbers without a country code.
    public var defaultRegion: String
    /// Lower-case mail domains where dots in the local part do not matter (e.g. gmail.com).
    public var emailIgnoreDotsDomains: [String]
    /// Lower-case mail domains where `+tag` in the local part is dropped.
    public var emailStripPlusTagDomains: [String]
    /// Match score from which records merge automatically.
    public var autoMergeScore: Double
    /// Match score from which a pair is queued for review; never above `autoMergeScore`.
    public var reviewScore: Double

    public init(defaultRegion: String = "CN",
                emailIgnoreDotsDomains: [String] = [],
                emailStripPlusTagDomains: [String] = [],
                autoMergeScore: Double = 0.92,
                reviewScore: Double = 0.75) {
        self.defaultRegion = defaultRegion
        self.emailIgnoreDotsDomains = emailIgnoreDotsDomains
        self.emailStripPlusTagDomains = emailStripPlusTagDomains
        self.autoMergeScore = autoMergeScore
        self.reviewScore = reviewScore
    }

    static let keys = ["DefaultRegion", "EmailIgnoreDotsDomains", "EmailStripPlusTagDomains", "AutoMergeScore", "ReviewScore"]

    /// Whitespace-separated mail domains, lower-cased, e.g. `gmail.com googlemail.com`.
    public static func domains(_ text: String) throws(ConfigValueError) -> [String] {
        var result: [String] = []
        for word in try ConfigValueParser.words(text) {
            if word.hasPrefix("@") {
                throw ConfigValueError("\"\(word)\" is not a domain (write it without \"@\", e.g. \(word.dropFirst()))")
            }
            let valid = word.contains(".") && !word.hasPrefix(".") && !word.hasSuffix(".")
                && word.allSatisfy { $0.isLetter || $0.isNumber || $0 == "." || $0 == "-" }
            guard valid else {
                throw ConfigValueError("\"\(word)\" is not a mail domain (use domain names separated by spaces, e.g. gmail.com googlemail.com)")
            }
            result.append(word.lowercased())
        }
        return result
    }

    static func read(_ reader: inout IniSectionReader) -> IdentitySettings {
        var settings = IdentitySettings()
        if let region = reader.value("DefaultRegion", ConfigValueParser.regionCode) { settings.defaultRegion = region }
        settings.emailIgnoreDotsDomains = unique(reader.list("EmailIgnoreDotsDomains", domains))
        settings.emailStripPlusTagDomains = unique(reader.list("EmailStripPlusTagDomains", domains))
        let autoMerge = reader.value("AutoMergeScore", ConfigValueParser.score)
        let review = reader.value("ReviewScore", ConfigValueParser.score)
        if let autoMerge { settings.autoMergeScore = autoMerge }
        if let review { settings.reviewScore = review }
        let autoMergeValid = autoMerge != nil || reader.last("AutoMergeScore") == nil
        let reviewValid = review != nil || reader.last("ReviewScore") == nil
        if autoMergeValid, reviewValid, settings.reviewScore > settings.autoMergeScore {
            let key = reader.last("ReviewScore") != nil ? "ReviewScore" : "AutoMergeScore"
            reader.report("ReviewScore \(settings.reviewScore) is above AutoMergeScore \(settings.autoMergeScore) (ReviewScore must not exceed AutoMergeScore: lower ReviewScore or raise AutoMergeScore)",
                          key: key, line: reader.line(of: key))
        }
        return settings
    }

    private static func unique(_ values: [String]) -> [String] {
        var seen = Set<String>()
        return values.filter { seen.insert($0).inserted }
    }
}
