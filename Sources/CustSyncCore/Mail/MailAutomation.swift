/// Why a message was sent by a machine rather than a person, from its headers.
public enum MailAutomation: Sendable, Equatable, CustomStringConvertible {
    /// `Auto-Submitted:` with a value other than `no` (RFC 3834), or an `X-Autoreply` flag.
    case autoSubmitted(String)
    /// `Precedence: bulk | auto_reply | junk | list`.
    case precedence(String)
    /// A delivery status notification: from MAILER-DAEMON/postmaster or `multipart/report`.
    case bounce(String)

    public var description: String {
        switch self {
        case let .autoSubmitted(value): return "auto-reply (Auto-Submitted: \(value))"
        case let .precedence(value): return "bulk or automatic mail (Precedence: \(value))"
        case let .bounce(why): return "bounce (\(why))"
        }
    }

    /// The classification of a message with these headers and sender, or `nil` for a person's mail.
    public static func classify(headers: MailHeaders, from: MailAddress?, contentType: MIMEContentType) -> MailAutomation? {
        if let sender = from?.address.lowercased(), let at = sender.firstIndex(of: "@") {
            let local = sender[..<at]
            if local == "mailer-daemon" || local == "postmaster" {
                return .bounce("from \(from!.address)")
            }
        }
        if contentType.mimeType == "multipart/report" { return .bounce("Content-Type: multipart/report") }
        if let value = headers.value("Auto-Submitted"), !value.isEmpty,
           value.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased() != "no" {
            return .autoSubmitted(value)
        }
        if let value = headers.value("X-Autoreply") ?? headers.value("X-Autorespond"), !value.isEmpty {
            return .autoSubmitted(value)
        }
        if let value = headers.value("Precedence")?.lowercased(),
           ["bulk", "auto_reply", "junk", "list"].contains(value) {
            return .precedence(value)
        }
        return nil
    }
}
