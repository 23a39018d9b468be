import CustSyncCore
import Foundation

/// Reads the FETCH responses in the response to a `UID FETCH` command. Literal lengths are
/// honoured, so a message line that looks like a response is read as message text. The reading
/// is strict (a literal must be followed by the next item or the closing parenthesis and the
/// line end): a response that does not add up is reported, never misread.
enum IMAPFetchResponse {
    struct Malformed: Error, Equatable, CustomStringConvertible {
        var reason: String
        var description: String { reason }
    }

    /// Every FETCH response in `bytes` that carries a UID, in order; other lines are skipped.
    static func messages(in bytes: [UInt8]) throws(Malformed) -> [IMAPFetchedMessage] {
        var scanner = Scanner(bytes: bytes)
        var messages: [IMAPFetchedMessage] = []
        while !scanner.atEnd {
            if scanner.skipFetchStart() {
                if let message = try scanner.fetchItems() { messages.append(message) }
            } else {
                scanner.skipLine()
            }
        }
        return messages
    }

    /// `INTERNALDATE` text, e.g. ` 2-Nov-2026 18:30:00 +0800`.
    static func internalDate(_ text: String) -> Date? {
        let trimmed = text.drop(while: { $0 == " " })
        guard let firstSpace = trimmed.firstIndex(of: " ") else { return nil }
        let day = trimmed[..<firstSpace].replacingOccurrences(of: "-", with: " ")
        return MailDate.parse(day + trimmed[firstSpace...])
    }

    private enum Value {
        case atom(String)
        case bytes([UInt8])
        case list
    }

    private struct Scanner {
        /// Lists nested deeper than this are refused. The items asked for nest two deep at most
        /// (a BODYSTRUCTURE a server might add, a dozen); each level is a frame of the reading
        /// thread's stack, which a hostile answer of nested parentheses would exhaust.
        static let maxListDepth = 64

        let bytes: [UInt8]
        var index = 0

        var atEnd: Bool { index >= bytes.count }

        mutating func skipLine() {
            while index < bytes.count && bytes[index] != 0x0A { index += 1 }
            index += 1
        }

        /// Consumes `* <number> FETCH (` when the line starts with it.
        mutating func skipFetchStart() -> Bool {
            var i = index
            guard i + 2 < bytes.count, bytes[i] == UInt8(ascii: "*"), bytes[i + 1] == 0x20 else { return false }
            i += 2
            let digits = i
            while i < bytes.count && bytes[i] >= 0x30 && bytes[i] <= 0x39 { i += 1 }
            let keyword = Array(" FETCH (".utf8)
            guard i > digits, i + keyword.count <= bytes.count,
                  zip(bytes[i..<i + keyword.count], keyword).allSatisfy({ Self.upper($0) == $1 }) else { return false }
            index = i + keyword.count
            return true
        }

        /// The items up to the closing parenthesis and the line end; `nil` without a UID (an
        /// unsolicited flag update).
        mutating func fetchItems() throws(Malformed) -> IMAPFetchedMessage? {
            var message = IMAPFetchedMessage(uid: 0)
            var hasUID = false
            while true {
                while index < bytes.count && bytes[index] == 0x20 { index += 1 }
                guard index < bytes.count else { throw Malformed(reason: "the response ended inside a FETCH") }
                if bytes[index] == UInt8(ascii: ")") {
                    index += 1
                    try lineEnd()
                    return hasUID ? message : nil
                }
                let name = itemName()
                guard !name.isEmpty, index < bytes.count, bytes[index] == 0x20 else {
                    throw Malformed(reason: "unreadable FETCH item at byte \(index)")
                }
                index += 1
                let value = try value()
                guard index < bytes.count, bytes[index] == 0x20 || bytes[index] == UInt8(ascii: ")") else {
                    throw Malformed(reason: "FETCH item \(name) is not followed by another item or \")\" at byte \(index)")
                }
                switch (name, value) {
                case ("UID", .atom(let text)):
                    guard let uid = UInt32(text) else { throw Malformed(reason: "UID \(text) is not a number") }
                    message.uid = uid
                    hasUID = true
                case ("RFC822.SIZE", .atom(let text)):
                    // A 32-bit number (RFC 3501): never negative, and sums of a few thousand
                    // cannot overflow when the fetch plan adds them up.
                    guard let size = UInt32(text) else { throw Malformed(reason: "RFC822.SIZE \(text) is not a number") }
                    message.size = Int(size)
                case ("INTERNALDATE", .bytes(let text)):
                    message.internalDate = IMAPFetchResponse.internalDate(String(decoding: text, as: UTF8.self))
                case (let section, .bytes(let content)) where section.hasPrefix("BODY["):
                    message.section = content
                default:
                    break
                }
            }
        }

        /// `UID`, `RFC822.SIZE`, `BODY[HEADER]<0>`: up to a space outside brackets, upper-cased.
        private mutating func itemName() -> String {
            let start = index
            var depth = 0
            while index < bytes.count {
                let byte = bytes[index]
                if byte == UInt8(ascii: "[") { depth += 1 }
                if byte == UInt8(ascii: "]") { depth -= 1 }
                if depth <= 0 && (byte == 0x20 || byte == 0x0D || byte == 0x0A || byte == UInt8(ascii: "(") || byte == UInt8(ascii: ")")) {
                    break
                }
                index += 1
            }
            return String(decoding: bytes[start..<index], as: UTF8.self).uppercased()
        }

        private mutating func value(depth: Int = 0) throws(Malformed) -> Value {
            guard index < bytes.count else { throw Malformed(reason: "the response ended before a value") }
            switch bytes[index] {
            case UInt8(ascii: "\""):
                index += 1
                var text: [UInt8] = []
                while index < bytes.count && bytes[index] != UInt8(ascii: "\"") {
                    if bytes[index] == UInt8(ascii: "\\") { index += 1 }
                    guard index < bytes.count, bytes[index] != 0x0A else { throw Malformed(reason: "a quoted string does not end") }
                    text.append(bytes[index])
                    index += 1
                }
                guard index < bytes.count else { throw Malformed(reason: "a quoted string does not end") }
                index += 1
                return .bytes(text)
            case UInt8(ascii: "{"):
                index += 1
                var length = 0
                let digits = index
                while index < bytes.count && bytes[index] >= 0x30 && bytes[index] <= 0x39 && length < Int.max / 10 {
                    length = length * 10 + Int(bytes[index] - 0x30)
                    index += 1
                }
                guard index > digits, index < bytes.count, bytes[index] == UInt8(ascii: "}") else {
                    throw Malformed(reason: "unreadable literal length at byte \(index)")
                }
                index += 1
                try lineEnd()
                guard length <= bytes.count - index else {
                    throw Malformed(reason: "a literal of \(length) bytes is longer than what arrived")
                }
                let content = Array(bytes[index..<index + length])
                index += length
                return .bytes(content)
            case UInt8(ascii: "("):
                guard depth < Self.maxListDepth else {
                    throw Malformed(reason: "lists nested more than \(Self.maxListDepth) deep at byte \(index)")
                }
                index += 1
                while true {
                    while index < bytes.count && bytes[index] == 0x20 { index += 1 }
                    guard index < bytes.count else { throw Malformed(reason: "a list does not end") }
                    if bytes[index] == UInt8(ascii: ")") {
                        index += 1
                        return .list
                    }
                    _ = try value(depth: depth + 1)
                }
            default:
                let start = index
                while index < bytes.count,
                      ![0x20, 0x0D, 0x0A, UInt8(ascii: "("), UInt8(ascii: ")")].contains(bytes[index]) {
                    index += 1
                }
                guard index > start else { throw Malformed(reason: "an empty value at byte \(index)") }
                return .atom(String(decoding: bytes[start..<index], as: UTF8.self))
            }
        }

        private mutating func lineEnd() throws(Malformed) {
            if index < bytes.count && bytes[index] == 0x0D { index += 1 }
            guard index < bytes.count, bytes[index] == 0x0A else {
                throw Malformed(reason: "a FETCH line does not end where it should (byte \(index))")
            }
            index += 1
        }

        private static func upper(_ byte: UInt8) -> UInt8 {
            byte >= 0x61 && byte <= 0x7A ? byte - 0x20 : byte
        }
    }
}
