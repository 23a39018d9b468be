/// The `[Field NAME]` section: the reconciliation rule for one canonical field.
public struct FieldRule: Sendable, Equatable, Hashable {
    public var policy: FieldPolicy
    /// Guarded fields are not overwritten automatically once set; changes go to review.
    public var guarded: Bool

    public init(policy: FieldPolicy = .newest, guarded: Bool = false) {
        self.policy = policy
        self.guarded = guarded
    }

    /// The rule for a field without a `[Field NAME]` section: newest, unguarded.
    public static let `default` = FieldRule()

    static let keys = ["Policy", "Sources", "Guarded"]

    /// Reads one merged `[Field NAME]` section. Returns the rule (nil on errors) and the
    /// `Sources=` names with their lines, to check against the configured connectors.
    static func read(_ reader: inout IniSectionReader) -> (rule: FieldRule?, sources: [(name: String, line: Int)]) {
        let errorsBefore = reader.errors.count
        let parsedPolicy = reader.value("Policy") { text throws(ConfigValueError) in
            try ConfigValueParser.choice(text, of: FieldPolicy.names, what: "policy")
        }
        // An invalid Policy= is already reported; do not add errors that follow from it.
        let policyKnown = parsedPolicy != nil || reader.last("Policy") == nil
        let policyName = parsedPolicy ?? "newest"
        var sources: [(name: String, line: Int)] = []
        for entry in reader.all("Sources") {
            for name in (try? ConfigValueParser.words(entry.value)) ?? [] {
                if sources.contains(where: { $0.name == name }) {
                    reader.report("connector \"\(name)\" is listed twice (list each connector once, highest priority first)",
                                  key: "Sources", line: entry.line)
                } else {
                    sources.append((name, entry.line))
                }
            }
        }
        let guarded = reader.value("Guarded", ConfigValueParser.bool) ?? false
        let policy: FieldPolicy
        switch policyName {
        case "source-priority":
            if sources.isEmpty && policyKnown {
                reader.report("Policy=source-priority needs Sources= (list connector names, highest priority first, e.g. Sources=crm shop)",
                              key: "Policy", line: reader.line(of: "Policy"))
            }
            policy = .sourcePriority(sources.map(\.name))
        case "most-complete": policy = .mostComplete
        case "keep-first": policy = .keepFirst
        case "manual": policy = .manual
        default: policy = .newest
        }
        if policyKnown, policyName != "source-priority", let first = sources.first {
            reader.report("Sources= is only used with Policy=source-priority (set Policy=source-priority, or remove Sources=)",
                          key: "Sources", line: first.line)
        }
        // Only source-priority uses the names; otherwise Sources= is already reported.
        let references = policyName == "source-priority" ? sources : []
        guard reader.errors.count == errorsBefore else { return (nil, references) }
        return (FieldRule(policy: policy, guarded: guarded), references)
    }
}
