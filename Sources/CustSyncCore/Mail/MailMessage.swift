import Foundation

/// An e-mail as custsync reads it: who sent it to whom, when, about what, and the start of what
/// it says. Built from the raw RFC 5322 bytes, or from the header section alone when the message
/// is too large to fetch.
public struct MailMessage: Sendable, Equatable {
    public static let defaultSnippetLength = 500

    public var from: MailAddress
    public var to: [MailAddress]
    public var subject: String?
    /// The `Date:` header; `nil` when missing or unreadable.
    public var date: Date?
    /// The Message-ID without angle brackets.
    public var messageID: String?
    public var automation: MailAutomation?
    /// The start of the text body, whitespace collapsed; empty for header-only input.
    public var snippet: String
    /// SHA-256 (hex) of the header section: a stable key for messages without a Message-ID,
    /// the same whether the body was fetched or not.
    public var headerHash: String

    /// Parses `bytes`. Broken header lines and a missing or unreadable `From` are errors.
    public init(parsing bytes: [UInt8], snippetLength: Int = MailMessage.defaultSnippetLength) throws {
        let entity = try MIMEEntity(parsing: bytes)
        let headers = entity.headers
        guard let fromText = headers.value("From"), !fromText.isEmpty else { throw MailParseError.missingHeader("From") }
        guard let sender = MailAddress.parseList(fromText).first else {
            throw MailParseError.invalidHeader(name: "From", value: fromText)
        }
        from = sender
        to = headers.value("To").map(MailAddress.parseList) ?? []
        subject = headers.decoded("Subject").map { Self.collapse($0) }
        date = headers.value("Date").flatMap(MailDate.parse)
        messageID = headers.value("Message-ID").flatMap(Self.messageID)
        automation = MailAutomation.classify(headers: headers, from: sender, contentType: entity.contentType)
        if let part = entity.textPart() {
            let text = part.contentType.subtype == "html" ? HTMLText.plainText(part.bodyText) : part.bodyText
            snippet = Self.snippet(of: text, length: snippetLength)
        } else {
            snippet = ""
        }
        let (_, bodyStart) = try MailHeaders.parse(bytes)
        headerHash = SHA256.hex(of: bytes[0..<bodyStart])
    }

    /// `<abc@host>` → `abc@host`; `nil` when nothing is left.
    static func messageID(_ text: String) -> String? {
        var id = text.trimmingCharacters(in: .whitespaces)
        if let open = id.firstIndex(of: "<"), let close = id[open...].firstIndex(of: ">") {
            id = String(id[id.index(after: open)..<close])
        }
        id = id.trimmingCharacters(in: .whitespaces)
        return id.isEmpty ? nil : id
    }

    /// The first `length` characters of `text` with whitespace collapsed as by `collapse`,
    /// reading no further than needed: a long body costs no more than a short one.
    static func snippet(of text: String, length: Int) -> String {
        var result = ""
        var count = 0
        var pendingSpace = false
        for character in text {
            if count == length { break }
            // ASCII first: `Character.isWhitespace` looks up Unicode properties every time.
            let isWhitespace = character.asciiValue.map { $0 == 0x20 || (0x09...0x0D).contains($0) } ?? character.isWhitespace
            if isWhitespace {
                pendingSpace = count > 0
                continue
            }
            if pendingSpace {
                result.append(" ")
                count += 1
                pendingSpace = false
                if count == length { break }
            }
            result.append(character)
            count += 1
        }
        return result
    }

    /// Runs of whitespace (including line breaks) become one space; ends trimmed.
    static func collapse(_ text: String) -> String {
        text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }
}
