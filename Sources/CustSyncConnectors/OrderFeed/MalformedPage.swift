/// A response body that cannot be read as a page of the configured format. The page is
/// quarantined with its URL and this reason, and the connector backs off.
struct MalformedPage: Error, Sendable, Equatable, CustomStringConvertible {
    var reason: String
    var description: String { reason }
}
