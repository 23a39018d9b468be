/// A message or MIME part: its headers, content type and (for multiparts) its parts.
/// Nesting is bounded so that a hostile message cannot recurse without end.
public struct MIMEEntity: Sendable {
    public static let maximumDepth = 12

    public var headers: MailHeaders
    public var contentType: MIMEContentType
    /// The body as transmitted (still transfer-encoded); empty for a multipart.
    public var body: [UInt8]
    public var parts: [MIMEEntity]

    /// Parses a whole message (`isTopLevel`: headers required) or a part.
    public init(parsing bytes: [UInt8], isTopLevel: Bool = true, depth: Int = 0) throws {
        let (headers, bodyStart) = try MailHeaders.parse(bytes, requireFields: isTopLevel)
        self.headers = headers
        contentType = headers.value("Content-Type").flatMap(MIMEContentType.init(parsing:)) ?? .defaultText
        let rawBody = Array(bytes[bodyStart...])
        if contentType.type == "multipart", let boundary = contentType.parameters["boundary"], !boundary.isEmpty,
           depth < Self.maximumDepth {
            body = []
            parts = try Self.split(rawBody, boundary: boundary).map {
                try MIMEEntity(parsing: $0, isTopLevel: false, depth: depth + 1)
            }
        } else {
            body = rawBody
            parts = []
        }
    }

    /// `true` for a part sent as an attachment rather than shown inline.
    public var isAttachment: Bool {
        guard let disposition = headers.value("Content-Disposition") else { return false }
        return disposition.lowercased().hasPrefix("attachment")
    }

    /// The body with its Content-Transfer-Encoding undone.
    public var decodedBody: [UInt8] {
        switch headers.value("Content-Transfer-Encoding")?.lowercased() {
        case "base64": return TransferDecoding.base64(body) ?? body
        case "quoted-printable": return TransferDecoding.quotedPrintable(body) ?? body
        default: return body
        }
    }

    /// The body as text in its declared charset. Undecodable bytes (a wrong label) are
    /// replaced rather than failing: this is a snippet for people, not an identity key.
    public var bodyText: String {
        let bytes = decodedBody
        let label = contentType.parameters["charset"] ?? "us-ascii"
        let name = CharsetDecoder.canonicalName(for: label).name
        if name == "US-ASCII" || name == "UTF-8" {
            if let text = String(validating: bytes, as: UTF8.self) { return text }
            return MailHeaders.text(bytes[...])
        }
        if let decoder = try? CharsetDecoder(charset: label), let text = try? decoder.decode(bytes) { return text }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The first inline text/plain part, depth first; else the first text/html one.
    public func textPart() -> MIMEEntity? {
        firstPart(subtype: "plain") ?? firstPart(subtype: "html")
    }

    private func firstPart(subtype: String) -> MIMEEntity? {
        if parts.isEmpty {
            return contentType.type == "text" && contentType.subtype == subtype && !isAttachment ? self : nil
        }
        // A forwarded or bounced message inside is not this message's text.
        for part in parts where part.contentType.mimeType != "message/rfc822" {
            if let found = part.firstPart(subtype: subtype) { return found }
        }
        return nil
    }

    /// The bodies between `--boundary` delimiter lines, up to the closing `--boundary--`.
    static func split(_ body: [UInt8], boundary: String) -> [[UInt8]] {
        let delimiter = Array("--\(boundary)".utf8)
        var parts: [[UInt8]] = []
        var partStart: Int?
        var lineStart = 0
        while lineStart <= body.count {
            var lineEnd = lineStart
            while lineEnd < body.count && body[lineEnd] != 0x0A { lineEnd += 1 }
            let line = body[lineStart..<lineEnd]
            if line.starts(with: delimiter) {
                let rest = line.dropFirst(delimiter.count)
                let isClose = rest.starts(with: [0x2D, 0x2D])
                if rest.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) || isClose {
                    if let start = partStart {
                        // The line break before the delimiter belongs to the delimiter.
                        var end = lineStart
                        if end > start && body[end - 1] == 0x0A { end -= 1 }
                        if end > start && body[end - 1] == 0x0D { end -= 1 }
                        parts.append(Array(body[start..<max(start, end)]))
                    }
                    if isClose { return parts }
                    partStart = min(lineEnd + 1, body.count)
                }
            }
            lineStart = lineEnd + 1
        }
        if let start = partStart, start < body.count { parts.append(Array(body[start...])) }  // no close line
        return parts
    }
}
