/// What identity resolution has cost so far: records decided, the time it took, and the work
/// behind that time, which does not depend on how busy the machine is. `make eval` compares it
/// between store sizes.
public struct ResolutionCost: Sendable, Equatable {
    public var records = 0
    public var time = Duration.zero
    /// Index searches: identifier, blocking-key and profile queries.
    public var lookups = 0
    /// Customers fuzzy matching scored.
    public var candidates = 0
    /// Customer profiles read from the store.
    public var profiles = 0
    /// Pages SQLite had to read from the file because its page cache lacked them.
    public var pageMisses = 0

    public init() {}

    public static func - (after: ResolutionCost, before: ResolutionCost) -> ResolutionCost {
        var difference = ResolutionCost()
        difference.records = after.records - before.records
        difference.time = after.time - before.time
        difference.lookups = after.lookups - before.lookups
        difference.candidates = after.candidates - before.candidates
        difference.profiles = after.profiles - before.profiles
        difference.pageMisses = after.pageMisses - before.pageMisses
        return difference
    }
}
