/// One column of a quarantined CSV row: its header name (or number, without a header), what
/// `[Mapping]` maps it to (`phone`, `key`, `call.agent` …; nil when unmapped) and its value.
///
/// Kept with the raw row so that `quarantine show` can mask the row by field for callers below
/// admin: free text cannot tell an address from any other text.
public struct RawColumn: Sendable, Equatable, Codable {
    public var column: String
    public var target: String?
    public var value: String

    public init(column: String, target: String?, value: String) {
        self.column = column
        self.target = target
        self.value = value
    }
}
