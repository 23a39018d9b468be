/// What classification needs from the configuration.
public struct ClassificationSettings: Sendable, Equatable {
    public var lifecycle: LifecycleSettings
    public var tiers: TierSettings
    public var tagRules: [TagRule]

    public init(lifecycle: LifecycleSettings = LifecycleSettings(), tiers: TierSettings = TierSettings(), tagRules: [TagRule] = []) {
        self.lifecycle = lifecycle
        self.tiers = tiers
        self.tagRules = tagRules
    }
}
