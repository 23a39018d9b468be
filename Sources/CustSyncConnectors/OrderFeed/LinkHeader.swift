import Foundation

/// The `Link` response header (RFC 8288): `<https://…?page=3>; rel="next", <…>; rel="last"`.
enum LinkHeader {
    /// The target of the first link whose `rel` includes `relation`, across all `values`.
    static func target(rel relation: String, in values: [String]) -> String? {
        for value in values {
            for link in links(in: value) where link.relations.contains(relation.lowercased()) {
                return link.target
            }
        }
        return nil
    }

    private static func links(in value: String) -> [(target: String, relations: [String])] {
        var result: [(String, [String])] = []
        var rest = Substring(value)
        while let open = rest.firstIndex(of: "<") {
            guard let close = rest[open...].firstIndex(of: ">") else { break }
            let target = String(rest[rest.index(after: open)..<close])
            rest = rest[rest.index(after: close)...]
            // Parameters run to the next comma outside quotes, separated by semicolons outside
            // quotes (`title="a;rel=next"` is one parameter).
            var parameters = [""]
            var quoted = false
            while let character = rest.first {
                if character == "\"" { quoted.toggle() }
                if character == "," && !quoted { break }
                if character == ";" && !quoted {
                    parameters.append("")
                } else {
                    parameters[parameters.count - 1].append(character)
                }
                rest = rest.dropFirst()
            }
            var relations: [String] = []
            for parameter in parameters {
                let parts = parameter.split(separator: "=", maxSplits: 1)
                guard parts.count == 2, parts[0].trimmingCharacters(in: .whitespaces).lowercased() == "rel" else { continue }
                let raw = parts[1].trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
                relations += raw.lowercased().split(separator: " ").map(String.init)
            }
            result.append((target, relations))
        }
        return result
    }
}
