/// A small, allocation-light JSON writer for the journal's hot path (JSONSerialization costs
/// several microseconds a call, which adds up over a million records).
public enum JSONText {
    /// `{"k":"v",…}` with keys in the given order; `nil` values are written as `null`.
    public static func object(_ pairs: [(String, String?)]) -> String {
        var out = "{"
        for (index, (key, value)) in pairs.enumerated() {
            if index > 0 { out += "," }
            appendString(key, to: &out)
            out += ":"
            if let value { appendString(value, to: &out) } else { out += "null" }
        }
        out += "}"
        return out
    }

    /// A JSON string literal for `value`.
    public static func string(_ value: String) -> String {
        var out = ""
        appendString(value, to: &out)
        return out
    }

    public static func appendString(_ value: String, to out: inout String) {
        out += "\""
        // Most values need no escaping: copy them whole.
        if !value.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
            out += value
            out += "\""
            return
        }
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }
}
