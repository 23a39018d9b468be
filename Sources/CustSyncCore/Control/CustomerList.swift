/// The answer to `customers`.
public struct CustomerList: Codable, Sendable {
    public var customers: [CustomerSummary]
    /// More customers match: ask again with `after` set to the last code.
    public var more: Bool
    public var masked: Bool

    public init(customers: [CustomerSummary], more: Bool, masked: Bool) {
        self.customers = customers
        self.more = more
        self.masked = masked
    }
}
