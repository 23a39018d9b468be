/// What the engine needs from the configuration, and nothing else.
public struct EngineSettings: Sendable {
    public var defaultRegion: String
    public var emailIgnoreDotsDomains: Set<String>
    public var emailStripPlusTagDomains: Set<String>
    public var fieldRules: [CanonicalField: FieldRule]
    public var codeRule: CustomerCodeRule

    public init(defaultRegion: String = "CN", emailIgnoreDotsDomains: Set<String> = [],
                emailStripPlusTagDomains: Set<String> = [], fieldRules: [CanonicalField: FieldRule] = [:],
                codeRule: CustomerCodeRule = CustomerCodeRule(template: "KH-{seq:7}")) {
        self.defaultRegion = defaultRegion
        self.emailIgnoreDotsDomains = emailIgnoreDotsDomains
        self.emailStripPlusTagDomains = emailStripPlusTagDomains
        self.fieldRules = fieldRules
        self.codeRule = codeRule
    }

    public func rule(for field: CanonicalField) -> FieldRule {
        fieldRules[field] ?? FieldRule(policy: .newest, guarded: false)
    }
}
