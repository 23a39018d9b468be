import Foundation

/// What an e-mail means for the customer store: the sender is a customer (new senders become
/// new customers) and the message an `.email` interaction. Mail from internal domains,
/// auto-replies and bounces are skipped with a reason; unreadable messages are rejected.
///
/// Keys depend only on the message, never on its UID, so a resync after a UIDVALIDITY change
/// yields the same source keys and content and the engine records nothing twice.
public struct MailRecordMapper: Sendable {
    /// Lower-case domains whose senders are colleagues, not customers (subdomains included).
    public var internalDomains: Set<String>
    public var snippetLength: Int

    public init(internalDomains: some Sequence<String> = [], snippetLength: Int = MailMessage.defaultSnippetLength) {
        self.internalDomains = Set(internalDomains.map { $0.lowercased().trimmingCharacters(in: .whitespaces) })
        self.snippetLength = snippetLength
    }

    /// Parses `bytes` and maps the message.
    /// - Parameters:
    ///   - origin: where it came from, for people (`INBOX UIDVALIDITY 7 UID 42`).
    ///   - receivedAt: the time used when the message has no readable `Date:` (the server's
    ///     INTERNALDATE, so that it is stable across polls).
    ///   - headersOnly: `bytes` is the header section of a message too large to fetch whole.
    public func item(parsing bytes: [UInt8], origin: String, receivedAt: Date, headersOnly: Bool = false) -> Batch.Item {
        do {
            let message = try MailMessage(parsing: bytes, snippetLength: snippetLength)
            return item(for: message, origin: origin, receivedAt: receivedAt, headersOnly: headersOnly)
        } catch {
            return .rejected(Rejection(origin: origin, reason: "\(error)", raw: Self.quarantineText(bytes)))
        }
    }

    public func item(for message: MailMessage, origin: String, receivedAt: Date, headersOnly: Bool = false) -> Batch.Item {
        if let automation = message.automation {
            return .skipped(origin: origin, reason: automation.description)
        }
        let address: EmailAddress
        do {
            address = try EmailAddress(parsing: message.from.address)
        } catch {
            return .rejected(Rejection(origin: origin, reason: "From: \(error.message)", raw: message.from.description))
        }
        if isInternal(address.domain) {
            return .skipped(origin: origin, reason: "internal sender (\(address.domain))")
        }
        var fields: [CanonicalField: String] = [.email: address.normalized]
        if let name = message.from.displayName, name.lowercased() != address.normalized {
            fields[.name] = name
        }
        var details: [String: String] = [:]
        let recipients = message.to.map(\.address).joined(separator: ", ")
        if !recipients.isEmpty { details["to"] = recipients }
        if !message.snippet.isEmpty { details["snippet"] = message.snippet }
        if let date = message.date { details["date"] = ISO8601.string(date) }
        if headersOnly { details["note"] = "message larger than MaxMessageSize: recorded from its headers only" }
        let occurredAt = message.date ?? receivedAt
        let interaction = Interaction(kind: .email, key: message.messageID ?? "sha256:\(message.headerHash)",
                                      occurredAt: occurredAt, summary: message.subject, details: details)
        return .record(SourceRecord(key: address.normalized, observedAt: occurredAt, fields: fields,
                                    interaction: interaction, origin: origin))
    }

    func isInternal(_ domain: String) -> Bool {
        internalDomains.contains { domain == $0 || domain.hasSuffix("." + $0) }
    }

    /// The header section (at most 8 KiB) as text: enough to see what is broken, no body.
    static func quarantineText(_ bytes: [UInt8]) -> String {
        var end = min(bytes.count, 8192)
        if let blank = Self.blankLine(in: bytes[0..<end]) { end = blank }
        return MailHeaders.text(bytes[0..<end])
    }

    private static func blankLine(in bytes: ArraySlice<UInt8>) -> Int? {
        var i = bytes.startIndex
        while i + 1 < bytes.endIndex {
            if bytes[i] == 0x0A && (bytes[i + 1] == 0x0A || (bytes[i + 1] == 0x0D && i + 2 < bytes.endIndex && bytes[i + 2] == 0x0A)) {
                return i
            }
            i += 1
        }
        return nil
    }
}
