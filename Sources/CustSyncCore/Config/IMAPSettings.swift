import Foundation

/// The `[IMAP]` section of an `imap` connector: which mailbox, how to log in, what is internal
/// mail, and the limits on each message.
public struct IMAPSettings: Sendable, Equatable {
    public static let defaultMaxMessageSize = 10 << 20

    /// `imap://host[:port]` (STARTTLS, required unless `allowPlaintext`) or `imaps://host[:port]`.
    public var server: String
    public var mailbox: String
    /// The credential file holding `user:password` on its first line (as the order feed's).
    public var credential: FeedCredentialSource
    /// Extra CA certificates (PEM) to trust. Verification is always on.
    public var caFile: String?
    /// Only for a server on the same host without TLS; never across a network.
    public var allowPlaintext: Bool
    /// Senders from these domains (and their subdomains) are colleagues, not customers.
    public var internalDomains: [String]
    /// Messages larger than this are recorded from their headers only.
    public var maxMessageSize: Int
    public var snippetLength: Int
    public var connectTimeout: TimeInterval
    /// The longest one IMAP command (one message fetch) may take.
    public var timeout: TimeInterval

    public init(server: String, mailbox: String = "INBOX", credential: FeedCredentialSource, caFile: String? = nil,
                allowPlaintext: Bool = false, internalDomains: [String] = [],
                maxMessageSize: Int = IMAPSettings.defaultMaxMessageSize,
                snippetLength: Int = MailMessage.defaultSnippetLength, connectTimeout: TimeInterval = 10,
                timeout: TimeInterval = 60) {
        self.server = server
        self.mailbox = mailbox
        self.credential = credential
        self.caFile = caFile
        self.allowPlaintext = allowPlaintext
        self.internalDomains = internalDomains
        self.maxMessageSize = maxMessageSize
        self.snippetLength = snippetLength
        self.connectTimeout = connectTimeout
        self.timeout = timeout
    }

    public static let keys = [
        "Server", "Mailbox", "Credential", "CAFile", "AllowPlaintext", "InternalDomains", "MaxMessageSize",
        "SnippetLength", "ConnectTimeout", "Timeout",
    ]

    /// Reads `[IMAP]`; `nil` (with errors in `reader`) when a required key is missing or invalid.
    public static func read(_ reader: inout IniSectionReader, directory: String) -> IMAPSettings? {
        let sectionLine = reader.section?.line
        let server = reader.value("Server") { text throws(ConfigValueError) -> String in
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            let lower = trimmed.lowercased()
            guard lower.hasPrefix("imap://") || lower.hasPrefix("imaps://"), !trimmed.contains("@") else {
                throw ConfigValueError("\"\(text)\" is not an imap:// or imaps:// server URL without credentials (e.g. imaps://mail.example.com)")
            }
            return trimmed
        }
        if reader.last("Server") == nil {
            reader.report("missing Server= (e.g. Server=imaps://mail.example.com)", line: sectionLine)
        }
        let credential = reader.value("Credential") { text throws(ConfigValueError) -> FeedCredentialSource in
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            if trimmed.contains("/") { return .file(try ConfigValueParser.path(trimmed, relativeTo: directory)) }
            guard trimmed != "." && trimmed != ".." && !trimmed.isEmpty else {
                throw ConfigValueError("\"\(text)\" is not a credential name (give the name of a file in $CREDENTIALS_DIRECTORY, or a path)")
            }
            return .named(trimmed)
        }
        if reader.last("Credential") == nil {
            reader.report("missing Credential= (a file holding user:password: a name in $CREDENTIALS_DIRECTORY, or a path to a file of mode 0600)",
                          line: sectionLine)
        }
        let mailbox = reader.value("Mailbox") { text throws(ConfigValueError) -> String in
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty, !trimmed.contains(where: { $0 == "\"" || $0 == "\r" || $0 == "\n" }) else {
                throw ConfigValueError("\"\(text)\" is not a mailbox name")
            }
            return trimmed
        } ?? "INBOX"
        let caFile = reader.value("CAFile") { text throws(ConfigValueError) in try ConfigValueParser.path(text, relativeTo: directory) }
        let allowPlaintext = reader.value("AllowPlaintext", ConfigValueParser.bool) ?? false
        let domains = reader.list("InternalDomains", ConfigValueParser.words).map { $0.lowercased() }
        let maxMessageSize = reader.value("MaxMessageSize", FeedSettings.byteSize) ?? defaultMaxMessageSize
        let snippetLength = reader.value("SnippetLength") { text throws(ConfigValueError) in
            try ConfigValueParser.positiveInteger(text, in: 1...10_000)
        } ?? MailMessage.defaultSnippetLength
        let connectTimeout = reader.value("ConnectTimeout", ConfigValueParser.duration) ?? 10
        let timeout = reader.value("Timeout", ConfigValueParser.duration) ?? 60
        guard let server, let credential else { return nil }
        return IMAPSettings(server: server, mailbox: mailbox, credential: credential, caFile: caFile,
                            allowPlaintext: allowPlaintext, internalDomains: domains, maxMessageSize: maxMessageSize,
                            snippetLength: snippetLength, connectTimeout: connectTimeout, timeout: timeout)
    }
}
