/// A small, allocation-light JSON writer for the journal's hot path (JSONSerialization costs
/// several microseconds a call, which adds up over a million records). It writes UTF-8 bytes
/// into one buffer and makes a `String` once: appending piece by piece to a `String` costs
/// hundreds of instructions an append.
public enum JSONText {
    /// `{"k":"v",…}` with keys in the given order; `nil` values are written as `null`.
    public static func object(_ pairs: [(String, String?)]) -> String {
        var out: [UInt8] = []
        // Room for every key and value with its quotes, colon and comma: one allocation.
        out.reserveCapacity(pairs.reduce(2) { $0 + $1.0.utf8.count + ($1.1?.utf8.count ?? 4) + 6 })
        out.append(UInt8(ascii: "{"))
        for (index, (key, value)) in pairs.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            appendString(key, to: &out)
            out.append(UInt8(ascii: ":"))
            if let value { appendString(value, to: &out) } else { out += "null".utf8 }
        }
        out.append(UInt8(ascii: "}"))
        return String(decoding: out, as: UTF8.self)
    }

    /// A JSON string literal for `value`.
    public static func string(_ value: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(value.utf8.count + 2)
        appendString(value, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends `value` as a JSON string literal. Escaping works on bytes: every byte of a
    /// multi-byte UTF-8 sequence is ≥ 0x80, so only ASCII needs looking at; the runs between
    /// the bytes that need escaping are copied whole.
    public static func appendString(_ value: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var value = value
        value.withUTF8 { bytes in
            var runStart = 0
            for index in bytes.indices {
                let byte = bytes[index]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
                appendEscaped(byte, to: &out)
                runStart = index + 1
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart...]))
        }
        out.append(UInt8(ascii: "\""))
    }

    private static func appendEscaped(_ byte: UInt8, to out: inout [UInt8]) {
        switch byte {
        case UInt8(ascii: "\""): out += "\\\"".utf8
        case UInt8(ascii: "\\"): out += "\\\\".utf8
        case UInt8(ascii: "\n"): out += "\\n".utf8
        case UInt8(ascii: "\r"): out += "\\r".utf8
        case UInt8(ascii: "\t"): out += "\\t".utf8
        default:
            out += "\\u00".utf8
            out.append(hexDigits[Int(byte >> 4)])
            out.append(hexDigits[Int(byte & 0xF)])
        }
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)
}
