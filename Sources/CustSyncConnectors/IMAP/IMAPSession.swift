import CCurl
import CustSyncCore
import Foundation

/// IMAP commands through one libcurl easy handle (connections are reused between commands).
/// Every command is a custom request, so nothing is fetched with `BODY[]` (which would set
/// `\Seen`); the password goes to libcurl only and is never part of a URL or a message.
final class IMAPSession {
    private let easy: CurlEasy
    private let server: String
    private let user: String
    private let password: String
    private let settings: IMAPSettings
    private let shouldCancel: () -> Bool

    init(settings: IMAPSettings, user: String, password: String, shouldCancel: @escaping () -> Bool) throws(TransferError) {
        easy = try CurlEasy()
        var base = settings.server
        while base.hasSuffix("/") { base.removeLast() }
        server = base
        self.user = user
        self.password = password
        self.settings = settings
        self.shouldCancel = shouldCancel
    }

    /// Runs `command`; with `mailbox`, libcurl SELECTs it first and, with `uidValidity`, fails
    /// with CURLE_REMOTE_FILE_NOT_FOUND (78) when the mailbox's UIDVALIDITY differs.
    /// Returns every byte received (untagged responses and literals).
    func run(_ command: String, mailbox: String? = nil, uidValidity: UInt32? = nil,
             limit: Int = 1 << 20) throws(TransferError) -> [UInt8] {
        var url = server + "/"
        if let mailbox {
            url += mailbox.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? mailbox
            if let uidValidity { url += ";UIDVALIDITY=\(uidValidity)" }
        }
        try easy.reset()
        try easy.set(CURLOPT_URL, url)
        try easy.set(CURLOPT_PROTOCOLS_STR, "imap,imaps")
        try easy.set(CURLOPT_CUSTOMREQUEST, command)
        try easy.set(CURLOPT_USERNAME, user)
        try easy.set(CURLOPT_PASSWORD, password)
        if !settings.allowPlaintext { try easy.set(CURLOPT_USE_SSL, Int(CURLUSESSL_ALL.rawValue)) }
        try easy.set(CURLOPT_SSL_VERIFYPEER, 1)
        try easy.set(CURLOPT_SSL_VERIFYHOST, 2)
        if let caFile = settings.caFile { try easy.set(CURLOPT_CAINFO, caFile) }
        try easy.set(CURLOPT_CONNECTTIMEOUT_MS, max(1, Int(settings.connectTimeout * 1000)))
        try easy.set(CURLOPT_TIMEOUT_MS, max(1, Int(settings.timeout * 1000)))
        let sink = TransferSink(limit: limit, keepsRawHeaders: true, shouldCancel: shouldCancel)
        try easy.perform(into: sink, url: url)
        return sink.rawHeaderBytes + sink.body
    }
}
