import CustSyncCore
import Foundation

/// Reading the untagged responses libcurl passes through for custom IMAP requests. libcurl
/// 7.88 delivers some of them to the header callback and some to the write callback, so the
/// callers hand in everything received, in order.
enum IMAPResponse {
    struct Status: Equatable {
        var messages: UInt32?
        var uidNext: UInt32?
        var uidValidity: UInt32?
    }

    /// `* STATUS INBOX (MESSAGES 3 UIDNEXT 4 UIDVALIDITY 1700000000)`
    static func status(_ bytes: [UInt8]) -> Status? {
        for line in lines(bytes) where line.uppercased().hasPrefix("* STATUS ") {
            guard let open = line.lastIndex(of: "("), let close = line.lastIndex(of: ")"), open < close else { continue }
            let items = line[line.index(after: open)..<close].split(separator: " ")
            var status = Status()
            var index = 0
            while index + 1 < items.count {
                let value = UInt32(items[index + 1])
                switch items[index].uppercased() {
                case "MESSAGES": status.messages = value
                case "UIDNEXT": status.uidNext = value
                case "UIDVALIDITY": status.uidValidity = value
                default: break
                }
                index += 2
            }
            return status
        }
        return nil
    }

    /// `* SEARCH 4 5 9` → [4, 5, 9]; several SEARCH lines are joined.
    static func search(_ bytes: [UInt8]) -> [UInt32] {
        var uids: [UInt32] = []
        for line in lines(bytes) where line.uppercased().hasPrefix("* SEARCH") {
            uids += line.dropFirst("* SEARCH".count).split(separator: " ").compactMap { UInt32($0) }
        }
        return uids
    }

    /// `INTERNALDATE "22-Nov-2026 10:30:00 +0000"` of a FETCH response.
    static func internalDate(_ bytes: [UInt8]) -> Date? {
        let head = String(decoding: bytes.prefix(512), as: UTF8.self)
        guard let key = head.range(of: "INTERNALDATE \"", options: .caseInsensitive),
              let close = head[key.upperBound...].firstIndex(of: "\"") else { return nil }
        let text = head[key.upperBound..<close].drop(while: { $0 == " " })
        guard let firstSpace = text.firstIndex(of: " ") else { return nil }
        let day = text[..<firstSpace].replacingOccurrences(of: "-", with: " ")
        return MailDate.parse(day + text[firstSpace...])
    }

    /// The first literal (`{N}` CRLF then N bytes) of a `* n FETCH` response: the message or
    /// header section fetched. `nil` when the response holds none (no such UID).
    static func fetchedLiteral(_ bytes: [UInt8]) -> [UInt8]? {
        guard let fetch = find(Array(" FETCH ".utf8), in: bytes, from: 0) else { return nil }
        var i = fetch
        while i < bytes.count {
            if bytes[i] == UInt8(ascii: "{") {
                var j = i + 1
                var length = 0
                while j < bytes.count, bytes[j] >= 0x30, bytes[j] <= 0x39 {
                    length = length * 10 + Int(bytes[j] - 0x30)
                    j += 1
                }
                if j > i + 1, j < bytes.count, bytes[j] == UInt8(ascii: "}") {
                    var start = j + 1
                    if start < bytes.count && bytes[start] == 0x0D { start += 1 }
                    if start < bytes.count && bytes[start] == 0x0A { start += 1 }
                    let end = min(bytes.count, start + length)
                    return Array(bytes[start..<end])
                }
            }
            if bytes[i] == 0x0A { return nil }  // the FETCH line ended without a literal
            i += 1
        }
        return nil
    }

    private static func lines(_ bytes: [UInt8]) -> [String] {
        bytes.split(separator: 0x0A).map {
            String(decoding: $0, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        }
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8], from: Int) -> Int? {
        guard needle.count <= haystack.count else { return nil }
        var i = from
        while i + needle.count <= haystack.count {
            if haystack[i..<i + needle.count].elementsEqual(needle) { return i }
            i += 1
        }
        return nil
    }
}
