/// One response body of an order feed, taken apart: its orders, and what it says about the
/// pages after it.
struct FeedPage: Sendable {
    enum Entry: Sendable, Equatable {
        case order(JSONValue)
        /// An NDJSON line that is not JSON; the rest of the page is still good.
        case invalid(line: Int, reason: String, raw: String)
    }

    var entries: [Entry]
    /// The next page's link as the body gives it (`NextPath=`), unresolved.
    var next: String?
    /// The resume cursor the body gives (`CursorPath=`).
    var cursorToken: String?
}
