/// The header section of an RFC 5322 message or MIME part: fields in order, unfolded, values
/// kept as raw bytes until a caller decides how to read them (structured or unstructured).
public struct MailHeaders: Sendable, Equatable {
    public struct Field: Sendable, Equatable {
        public var name: String
        /// The unfolded value without the leading whitespace after the colon.
        public var rawValue: [UInt8]
    }

    public var fields: [Field]

    public init(fields: [Field]) { self.fields = fields }

    /// Splits `bytes` into header fields and the offset where the body starts (after the blank
    /// line, or `bytes.count` when there is none). Accepts CRLF and bare LF line ends.
    /// With `requireFields`, an empty header section is an error (a top-level message);
    /// MIME parts may legitimately have none.
    public static func parse(_ bytes: [UInt8], requireFields: Bool = true) throws -> (MailHeaders, bodyStart: Int) {
        var fields: [Field] = []
        var index = 0
        var lineNumber = 0
        var bodyStart = bytes.count
        while index < bytes.count {
            var end = index
            while end < bytes.count && bytes[end] != 0x0A { end += 1 }
            let next = end < bytes.count ? end + 1 : end
            var lineEnd = end
            if lineEnd > index && bytes[lineEnd - 1] == 0x0D { lineEnd -= 1 }
            lineNumber += 1
            let line = bytes[index..<lineEnd]
            if line.isEmpty {
                bodyStart = next
                break
            }
            if line.first == 0x20 || line.first == 0x09 {
                guard !fields.isEmpty else {
                    throw MailParseError.malformedHeaderLine(line: lineNumber, text: Self.text(line))
                }
                fields[fields.count - 1].rawValue.append(contentsOf: line)
            } else if lineNumber == 1 && line.starts(with: Array("From ".utf8)) {
                // An mbox separator line, not a field.
            } else {
                guard let colon = line.firstIndex(of: 0x3A), colon > line.startIndex,
                      line[line.startIndex..<colon].allSatisfy({ $0 > 0x20 && $0 < 0x7F })
                else {
                    throw MailParseError.malformedHeaderLine(line: lineNumber, text: Self.text(line))
                }
                let name = String(decoding: line[line.startIndex..<colon], as: UTF8.self)
                var valueStart = colon + 1
                while valueStart < line.endIndex && (line[valueStart] == 0x20 || line[valueStart] == 0x09) {
                    valueStart += 1
                }
                fields.append(Field(name: name, rawValue: Array(line[valueStart...])))
            }
            index = next
        }
        if requireFields && fields.isEmpty { throw MailParseError.noHeaders }
        return (MailHeaders(fields: fields), bodyStart)
    }

    /// The raw value of the first field called `name` (case-insensitive).
    public func raw(_ name: String) -> [UInt8]? {
        let key = name.lowercased()
        return fields.first { $0.name.lowercased() == key }?.rawValue
    }

    /// The first field called `name` as text, without RFC 2047 decoding, trimmed.
    public func value(_ name: String) -> String? {
        guard let raw = raw(name) else { return nil }
        let text = Self.text(raw[...]).trimmingCharacters(in: .whitespaces)
        return text
    }

    /// The first field called `name` as unstructured text with encoded words decoded.
    public func decoded(_ name: String) -> String? {
        guard let text = value(name) else { return nil }
        return EncodedWordDecoder.decode(text)
    }

    /// Raw 8-bit header bytes: UTF-8 when valid (RFC 6532), else GB18030 (what Chinese mail
    /// clients send unencoded), else Latin-1, so no header is ever unreadable.
    static func text(_ bytes: ArraySlice<UInt8>) -> String {
        if let utf8 = String(validating: bytes, as: UTF8.self) { return utf8 }
        if let decoder = try? CharsetDecoder(charset: "GB18030"), let text = try? decoder.decode(bytes) {
            return text
        }
        return String(bytes.map { Character(Unicode.Scalar($0)) })
    }
}
