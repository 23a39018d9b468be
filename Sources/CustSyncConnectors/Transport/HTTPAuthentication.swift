/// Credentials for one request. They go to libcurl's auth options, never into a header we
/// build, so libcurl drops them on a redirect to another host. `description` never shows a
/// secret.
public enum HTTPAuthentication: Sendable, Equatable, CustomStringConvertible {
    case basic(user: String, password: String)
    case bearer(token: String)

    public var description: String {
        switch self {
        case .basic(let user, _): return "basic (user \(user))"
        case .bearer: return "bearer token"
        }
    }
}
