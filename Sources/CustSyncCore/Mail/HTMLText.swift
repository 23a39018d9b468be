/// The readable text of an HTML body for a snippet: script and style dropped, tags removed,
/// the common entities decoded. Not a renderer; enough to tell what a message says.
public enum HTMLText {
    public static func plainText(_ html: String) -> String {
        var out = ""
        var index = html.startIndex
        while index < html.endIndex {
            let ch = html[index]
            if ch == "<" {
                let rest = html[index...].prefix(8).lowercased()
                var skipUntil: String?
                if rest.hasPrefix("<script") { skipUntil = "</script" }
                else if rest.hasPrefix("<style") { skipUntil = "</style" }
                else if rest.hasPrefix("<!--") { skipUntil = "-->" }
                if let end = skipUntil {
                    guard let found = html.range(of: end, options: .caseInsensitive, range: index..<html.endIndex) else { break }
                    index = found.upperBound
                }
                guard let close = html[index...].firstIndex(of: ">") else { break }
                out.append(" ")
                index = html.index(after: close)
                continue
            }
            if ch == "&", let semi = html[index...].prefix(10).firstIndex(of: ";") {
                let name = String(html[html.index(after: index)..<semi])
                if let decoded = entity(name) {
                    out.append(decoded)
                    index = html.index(after: semi)
                    continue
                }
            }
            out.append(ch)
            index = html.index(after: index)
        }
        return out
    }

    private static func entity(_ name: String) -> Character? {
        switch name {
        case "nbsp": return " "
        case "amp": return "&"
        case "lt": return "<"
        case "gt": return ">"
        case "quot": return "\""
        case "apos": return "'"
        default: break
        }
        let code: UInt32?
        if name.hasPrefix("#x") || name.hasPrefix("#X") { code = UInt32(name.dropFirst(2), radix: 16) }
        else if name.hasPrefix("#") { code = UInt32(name.dropFirst()) }
        else { code = nil }
        return code.flatMap(Unicode.Scalar.init).map(Character.init)
    }
}
