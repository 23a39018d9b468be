/// What the engine needs from the configuration, and nothing else.
public struct EngineSettings: Sendable {
    public var defaultRegion: String
    public var emailIgnoreDotsDomains: Set<String>
    public var emailStripPlusTagDomains: Set<String>
    public var fieldRules: [CanonicalField: FieldRule]
    public var codeRule: CustomerCodeRule
    /// Fuzzy-match scores at or above this attach a record to an existing customer.
    public var autoMergeScore: Double
    /// Fuzzy-match scores from this up to `autoMergeScore` open a merge candidate for review.
    public var reviewScore: Double
    /// Lifecycle thresholds, RFM/tier scoring and rule tags.
    public var classification = ClassificationSettings()

    public init(defaultRegion: String = "CN", emailIgnoreDotsDomains: Set<String> = [],
                emailStripPlusTagDomains: Set<String> = [], fieldRules: [CanonicalField: FieldRule] = [:],
                codeRule: CustomerCodeRule = CustomerCodeRule(CodeSettings()),
                autoMergeScore: Double = 0.92, reviewScore: Double = 0.75) {
        self.defaultRegion = defaultRegion
        self.emailIgnoreDotsDomains = emailIgnoreDotsDomains
        self.emailStripPlusTagDomains = emailStripPlusTagDomains
        self.fieldRules = fieldRules
        self.codeRule = codeRule
        self.autoMergeScore = autoMergeScore
        self.reviewScore = reviewScore
    }

    public func rule(for field: CanonicalField) -> FieldRule {
        fieldRules[field] ?? FieldRule(policy: .newest, guarded: false)
    }
}
