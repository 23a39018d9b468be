import Foundation

/// URL arithmetic for feed paging: adding query parameters, resolving `next` links, and
/// comparing origins (credentials are only ever sent to the configured feed's origin).
enum FeedURL {
    /// `url` with each parameter set to its value: existing parameters of that name are
    /// replaced, values are percent-encoded strictly (so `+` in a time zone offset survives).
    static func setting(_ parameters: [(name: String, value: String)], in url: String) -> String {
        guard !parameters.isEmpty else { return url }
        var base = url
        var fragment = ""
        if let hash = base.firstIndex(of: "#") {
            fragment = String(base[hash...])
            base = String(base[..<hash])
        }
        var query: [String] = []
        if let question = base.firstIndex(of: "?") {
            query = base[base.index(after: question)...].split(separator: "&").map(String.init)
            base = String(base[..<question])
        }
        let names = Set(parameters.map(\.name))
        query.removeAll { pair in
            let name = pair.split(separator: "=", maxSplits: 1).first.map(String.init) ?? pair
            return names.contains(name.removingPercentEncoding ?? name)
        }
        query += parameters.map { "\(encode($0.name))=\(encode($0.value))" }
        return base + "?" + query.joined(separator: "&") + fragment
    }

    private static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    static func encode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? text
    }

    /// `link` (absolute, or relative to `base`) as an absolute URL; `nil` if it is not one.
    static func resolve(_ link: String, against base: String) -> String? {
        let trimmed = link.trimmingCharacters(in: .whitespaces)
        guard let resolved = URL(string: trimmed, relativeTo: URL(string: base))?.absoluteURL,
              let scheme = resolved.scheme?.lowercased(), scheme == "http" || scheme == "https",
              resolved.host != nil else { return nil }
        return resolved.absoluteString
    }

    /// `scheme://host:port`, lower-cased, with the default port filled in.
    static func origin(of url: String) -> String? {
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(),
              let host = components.host?.lowercased() else { return nil }
        let port = components.port ?? (scheme == "https" ? 443 : 80)
        return "\(scheme)://\(host):\(port)"
    }
}
