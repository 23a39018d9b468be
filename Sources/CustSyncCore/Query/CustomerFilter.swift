/// What `syncctl customers` narrows the list by; every member is optional and they combine with AND.
public struct CustomerFilter: Sendable, Equatable {
    /// Matches the code, name or company by substring, and e-mail or phone exactly (in any
    /// spelling that normalizes to the stored value). Admins also match e-mail, phone and
    /// address by substring.
    public var text: String?
    public var stage: String?
    public var tier: String?
    public var region: String?
    public var tag: String?
    /// Customers that a connector has asserted a value for.
    public var source: String?
    public var includeMerged = false
    /// List codes after this one (paging: pass the last code of the previous page).
    public var after: String?
    public var limit = 50

    public init() {}
}
