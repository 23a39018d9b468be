/// How an order feed's response body holds its records (`Format=` in `[Feed]`).
public enum FeedFormat: String, CaseIterable, Sendable, Equatable {
    /// The body is a JSON array of order objects.
    case jsonArray = "json-array"
    /// The body is a JSON object with the orders in an array at `RecordsPath=` and, optionally,
    /// the next page's link at `NextPath=` and a resume cursor at `CursorPath=`.
    case jsonObject = "json-object"
    /// One JSON object per line (newline-delimited JSON).
    case ndjson
}
