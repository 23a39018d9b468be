import Foundation

/// The `[IMAP]` section of an `imap` connector: which mailbox, how to log in, what is internal
/// mail, and the limits on each message.
public struct IMAPSettings: Sendable, Equatable {
    public static let defaultMaxMessageSize = 10 << 20
    /// A message up to `MaxMessageSize=` is held in memory whole while it is parsed.
    public static let maxMessageSizeRange: ClosedRange<Int64> = (1 << 10)...(64 << 20)

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
    /// The longest one IMAP command (one fetch of a group of messages) may take.
    public var timeout: TimeInterval
    /// What happens to messages after their batch committed; `.none` keeps the mailbox read-only.
    public var acknowledge: IMAPAcknowledgement

    public init(server: String, mailbox: String = "INBOX", credential: FeedCredentialSource, caFile: String? = nil,
                allowPlaintext: Bool = false, internalDomains: [String] = [],
                maxMessageSize: Int = IMAPSettings.defaultMaxMessageSize,
                snippetLength: Int = MailMessage.defaultSnippetLength, connectTimeout: TimeInterval = 10,
                timeout: TimeInterval = 60, acknowledge: IMAPAcknowledgement = .none) {
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
        self.acknowledge = acknowledge
    }

    public static let keys = [
        "Server", "Mailbox", "Credential", "CAFile", "AllowPlaintext", "InternalDomains", "MaxMessageSize",
        "SnippetLength", "ConnectTimeout", "Timeout", "Acknowledge", "MoveTo",
    ]

    /// Reads `[IMAP]`; `nil` (with errors in `reader`, positioned at file, line and key) when a
    /// value is missing or invalid. `custsyncd --check-config` reports these.
    public static func read(_ reader: inout IniSectionReader, directory: String) -> IMAPSettings? {
        let sectionLine = reader.section?.line
        let server = reader.value("Server", serverURL)
        if reader.last("Server") == nil {
            reader.report("missing Server= (e.g. Server=imaps://mail.example.com)", key: "Server", line: sectionLine)
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
                          key: "Credential", line: sectionLine)
        }
        let mailbox = reader.value("Mailbox", mailboxName) ?? "INBOX"
        let caFile = reader.value("CAFile") { text throws(ConfigValueError) in try ConfigValueParser.path(text, relativeTo: directory) }
        let allowPlaintext = reader.value("AllowPlaintext", ConfigValueParser.bool) ?? false
        let domains = reader.list("InternalDomains", ConfigValueParser.words).map { $0.lowercased() }
        let maxMessageSize = reader.value("MaxMessageSize") { text throws(ConfigValueError) in
            Int(try ConfigValueParser.byteSize(text, in: maxMessageSizeRange,
                                               hint: "use from 1K to 64M, e.g. 10M; a message up to this size is held in memory whole"))
        } ?? defaultMaxMessageSize
        let snippetLength = reader.value("SnippetLength") { text throws(ConfigValueError) in
            try ConfigValueParser.positiveInteger(text, in: 1...10_000)
        } ?? MailMessage.defaultSnippetLength
        func duration(_ key: String, default value: TimeInterval) -> TimeInterval {
            guard let parsed = reader.value(key, ConfigValueParser.duration) else { return value }
            guard parsed >= 0.001 else {
                reader.report("must be longer than 0 (use e.g. \(ConfigValueParser.formatDuration(value)))", key: key, line: reader.line(of: key))
                return value
            }
            return parsed
        }
        let connectTimeout = duration("ConnectTimeout", default: 10)
        let timeout = duration("Timeout", default: 60)
        let acknowledge = readAcknowledgement(&reader, mailbox: mailbox)
        guard let server, let credential, let acknowledge else { return nil }
        return IMAPSettings(server: server, mailbox: mailbox, credential: credential, caFile: caFile,
                            allowPlaintext: allowPlaintext, internalDomains: domains, maxMessageSize: maxMessageSize,
                            snippetLength: snippetLength, connectTimeout: connectTimeout, timeout: timeout,
                            acknowledge: acknowledge)
    }

    /// `Acknowledge=none|seen|move` with `MoveTo=` for `move` (and only for it); `nil` when invalid.
    private static func readAcknowledgement(_ reader: inout IniSectionReader, mailbox: String) -> IMAPAcknowledgement? {
        let errorsBefore = reader.errors.count
        let mode = reader.value("Acknowledge") { text throws(ConfigValueError) in
            try ConfigValueParser.choice(text, of: ["none", "seen", "move"], what: "way to acknowledge")
        } ?? "none"
        let folder = reader.value("MoveTo", mailboxName)
        if mode == "move" && folder == nil && reader.last("MoveTo") == nil {
            reader.report("Acknowledge=move needs MoveTo= (the folder committed messages go to, e.g. MoveTo=Processed)",
                          key: "Acknowledge", line: reader.line(of: "Acknowledge"))
        }
        if mode != "move" && reader.last("MoveTo") != nil {
            reader.report("MoveTo= is only used with Acknowledge=move (set Acknowledge=move, or remove MoveTo=)",
                          key: "MoveTo", line: reader.line(of: "MoveTo"))
        }
        if let folder, folder == mailbox {
            reader.report("MoveTo=\(folder) is the mailbox being read (Mailbox=\(mailbox)); name another folder",
                          key: "MoveTo", line: reader.line(of: "MoveTo"))
        }
        guard reader.errors.count == errorsBefore else { return nil }
        switch mode {
        case "seen": return .seen
        case "move": return folder.map { .move(to: $0) }
        default: return IMAPAcknowledgement.none
        }
    }

    /// `imap://host[:port]` or `imaps://host[:port]`: no credentials, path, query or fragment
    /// (the mailbox is `Mailbox=`, the secret is in `Credential=`).
    public static func serverURL(_ text: String) throws(ConfigValueError) -> String {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard let components = URLComponents(string: trimmed),
              let scheme = components.scheme?.lowercased(), scheme == "imap" || scheme == "imaps",
              let host = components.host, !host.isEmpty else {
            throw ConfigValueError("\"\(text)\" is not an imap:// or imaps:// server URL (write e.g. imaps://mail.example.com or imap://mail.example.com:143)")
        }
        if components.user != nil || components.password != nil || trimmed.contains("@") {
            throw ConfigValueError("the URL contains a user name or password; remove it and put user:password in the file named by Credential=")
        }
        if !(components.path.isEmpty || components.path == "/") || components.query != nil || components.fragment != nil {
            throw ConfigValueError("the URL has a path, query or fragment; write only imap[s]://host[:port] and name the folder with Mailbox=")
        }
        if let port = components.port, !(1...65535).contains(port) {
            throw ConfigValueError("port \(port) is out of range (use 1 to 65535, usually 993 for imaps:// and 143 for imap://)")
        }
        return trimmed.hasSuffix("/") ? String(trimmed.dropLast()) : trimmed
    }

    /// A folder name as the server shows it (`INBOX`, `Support.2026`, `已处理`): not empty, no
    /// quotes or line breaks.
    public static func mailboxName(_ text: String) throws(ConfigValueError) -> String {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty, !trimmed.contains(where: { $0 == "\"" || $0 == "\r" || $0 == "\n" || $0 == "\0" }) else {
            throw ConfigValueError("\"\(text)\" is not a folder name (write it as your mail client shows it, e.g. INBOX or Processed)")
        }
        return trimmed
    }
}
