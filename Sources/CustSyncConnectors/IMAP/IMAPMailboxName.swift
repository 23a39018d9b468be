import Foundation

/// A folder name as IMAP commands carry it: modified UTF-7 (RFC 3501, 5.1.3), so `已处理` goes
/// out as `&XfJZBHQG-`, inside a quoted string.
enum IMAPMailboxName {
    /// `name` encoded and quoted for a command, e.g. `"INBOX"` or `"&XfJZBHQG-"`.
    static func quoted(_ name: String) -> String {
        let encoded = modifiedUTF7(name)
        return "\"" + encoded.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    /// Printable ASCII stands for itself (`&` as `&-`); every other run of characters is its
    /// UTF-16 in base64 with `,` for `/` and no padding, between `&` and `-`.
    static func modifiedUTF7(_ name: String) -> String {
        var result = ""
        var pending: [UInt16] = []
        func flush() {
            guard !pending.isEmpty else { return }
            var bytes: [UInt8] = []
            for unit in pending { bytes += [UInt8(unit >> 8), UInt8(unit & 0xFF)] }
            let base64 = Data(bytes).base64EncodedString()
                .replacingOccurrences(of: "/", with: ",")
                .replacingOccurrences(of: "=", with: "")
            result += "&" + base64 + "-"
            pending = []
        }
        for scalar in name.unicodeScalars {
            if (0x20...0x7E).contains(scalar.value) {
                flush()
                result += scalar == "&" ? "&-" : String(scalar)
            } else {
                pending += Array(String(scalar).utf16)
            }
        }
        flush()
        return result
    }
}
