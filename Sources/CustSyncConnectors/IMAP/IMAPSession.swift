import CCurl
import CustSyncCore
import Foundation
import Glibc

/// One IMAP connection for one poll. libcurl makes it (`CURLOPT_CONNECT_ONLY`): it connects,
/// does TLS or the required STARTTLS, verifies the certificate and logs in; then the commands
/// go over that connection with `curl_easy_send` and `curl_easy_recv`.
///
/// Why not libcurl's own IMAP requests: libcurl reads a custom command's response as "header"
/// lines and, in Debian's 7.88.1, refuses one past 300 KiB, counting the bytes after every line
/// that starts with `* ` again. A single message with a few hundred bullet lines (`* item`), or a
/// FETCH of a few dozen messages, then fails with "Too large response headers". Here a response
/// is read up to its tagged line (`IMAPResponseFramer`), literals stepped over whole, bounded by
/// the size the caller expects.
///
/// No command waits past the poll's deadline (`Timeout=` of `[Connector]`), even when it is
/// within its own `Timeout=`: the runner, and with it the daemon's watchdog, counts on a poll
/// ending by its deadline.
///
/// The password goes to libcurl only and is never part of a URL or a message.
final class IMAPSession {
    private let easy: CurlEasy
    private let socket: Int32
    private let settings: IMAPSettings
    private let user: String
    private let shouldCancel: () -> Bool
    private let pollDeadline: Date
    /// A command was cut off by the poll's deadline (not by its own `Timeout=`).
    private(set) var reachedPollDeadline = false
    /// A command failed halfway: what the connection carries next is unknown.
    private var broken = false
    private var lastTag = 0
    /// Bytes received after the last response (an untagged update sent before the next command).
    private var leftover: [UInt8] = []
    private var chunk = [UInt8](repeating: 0, count: 256 << 10)

    init(settings: IMAPSettings, user: String, password: String, pollDeadline: Date,
         shouldCancel: @escaping () -> Bool) throws(ConnectorError) {
        self.settings = settings
        self.user = user
        self.shouldCancel = shouldCancel
        self.pollDeadline = pollDeadline
        // Only the greeting and the login pass through libcurl's callbacks.
        let sink = TransferSink(limit: 1 << 20, shouldCancel: shouldCancel)
        do {
            easy = try CurlEasy()
            try easy.set(CURLOPT_URL, settings.server + "/")
            try easy.set(CURLOPT_PROTOCOLS_STR, "imap,imaps")
            try easy.set(CURLOPT_CONNECT_ONLY, 1)
            try easy.set(CURLOPT_USERNAME, user)
            try easy.set(CURLOPT_PASSWORD, password)
            if !settings.allowPlaintext { try easy.set(CURLOPT_USE_SSL, Int(CURLUSESSL_ALL.rawValue)) }
            try easy.set(CURLOPT_SSL_VERIFYPEER, 1)
            try easy.set(CURLOPT_SSL_VERIFYHOST, 2)
            if let caFile = settings.caFile { try easy.set(CURLOPT_CAINFO, caFile) }
            try easy.set(CURLOPT_CONNECTTIMEOUT_MS, max(1, Int(settings.connectTimeout * 1000)))
            let connecting = min(settings.connectTimeout + settings.timeout, pollDeadline.timeIntervalSinceNow)
            try easy.set(CURLOPT_TIMEOUT_MS, max(1, Int(connecting * 1000)))
            try easy.perform(into: sink, url: settings.server)
        } catch {
            throw Self.connectFailure(error, settings: settings, user: user,
                                      answer: IMAPLoginAnswer(responseLines: sink.headerLines))
        }
        guard let socket = easy.activeSocket else {
            throw ConnectorError("libcurl connected to \(settings.server) but has no socket for it; this is a bug", permanent: true)
        }
        self.socket = socket
    }

    /// Logs out politely (bounded) unless a command failed halfway; libcurl closes the
    /// connection when `easy` goes.
    deinit {
        if !broken { _ = try? exchange("LOGOUT", limit: 1 << 16, timeout: 2) }
    }

    /// Opens `mailbox` with EXAMINE, or with SELECT when `writable`, and returns what the
    /// server reported about it.
    func open(_ mailbox: String, writable: Bool) throws(ConnectorError) -> IMAPResponse.MailboxStatus {
        let verb = writable ? "SELECT" : "EXAMINE"
        let bytes = try run("\(verb) \(IMAPMailboxName.quoted(mailbox))", limit: 1 << 20,
                            hint: "check Mailbox=\(mailbox) and that user \(user) may read it")
        let status = IMAPResponse.mailboxStatus(bytes)
        if writable && status.readOnly {
            throw ConnectorError("\(settings.server) opened \(mailbox) read-only for user \(user), so messages cannot be acknowledged: give the user the right to change the mailbox, or set Acknowledge=none", permanent: true)
        }
        return status
    }

    /// The server's capabilities after login (`CAPABILITY`), upper-cased.
    func capabilities() throws(ConnectorError) -> Set<String> {
        IMAPResponse.capabilities(try run("CAPABILITY", limit: 1 << 16))
    }

    /// Sends `command` and returns its whole response (untagged lines, literals, the tagged
    /// line), which may be at most `limit` bytes. NO or BAD becomes an error quoting the server,
    /// with `hint`. Takes at most `Timeout=`.
    func run(_ command: String, limit: Int, hint: String? = nil) throws(ConnectorError) -> [UInt8] {
        let (response, frame) = try exchange(command, limit: limit, timeout: settings.timeout)
        // `C7 OK …`, `C7 NO [TRYCREATE] Mailbox doesn't exist: Done`
        let tagged = String(decoding: response[frame.taggedLine..<frame.end], as: UTF8.self)
        let answer = tagged.drop(while: { $0 != " " }).trimmingCharacters(in: .whitespacesAndNewlines)
        guard answer.uppercased().hasPrefix("OK") else {
            let verb = command.split(separator: " ").prefix(command.uppercased().hasPrefix("UID ") ? 2 : 1).joined(separator: " ")
            throw ConnectorError("\(settings.server) refused \(verb): \(answer)" + (hint.map { " (\($0))" } ?? ""))
        }
        return response
    }

    private func exchange(_ command: String, limit: Int, timeout: TimeInterval) throws(ConnectorError) -> ([UInt8], IMAPResponseFramer.Frame) {
        do {
            return try exchangeOnce(command, limit: limit, deadline: min(Date().addingTimeInterval(timeout), pollDeadline))
        } catch {
            broken = true
            throw error
        }
    }

    private func exchangeOnce(_ command: String, limit: Int, deadline: Date) throws(ConnectorError) -> ([UInt8], IMAPResponseFramer.Frame) {
        lastTag += 1
        let tag = "C\(lastTag)"
        try send(Array("\(tag) \(command)\r\n".utf8), deadline: deadline)
        var framer = IMAPResponseFramer(tag: tag)
        var buffer = leftover
        buffer.reserveCapacity(min(limit, 64 << 20))
        leftover = []
        while true {
            if let frame = framer.frame(in: buffer) {
                if frame.end < buffer.count {
                    leftover = Array(buffer[frame.end...])
                    buffer.removeSubrange(frame.end...)
                }
                return (buffer, frame)
            }
            guard buffer.count <= limit else {
                throw ConnectorError("\(settings.server) answered \(command.prefix(40)) with more than the \(limit) bytes expected; the poll stopped and is retried")
            }
            try receive(into: &buffer, deadline: deadline, waitingFor: command)
        }
    }

    private func send(_ bytes: [UInt8], deadline: Date) throws(ConnectorError) {
        var offset = 0
        while offset < bytes.count {
            let result = bytes.withUnsafeBytes { all in
                Result { () throws(TransferError) in try easy.send(UnsafeRawBufferPointer(rebasing: all[offset...]), url: settings.server) }
            }
            let sent: Int
            switch result {
            case .success(let count): sent = count
            case .failure(let error): throw ConnectorError("IMAP \(error.description)")
            }
            offset += sent
            if sent == 0 { try wait(for: Int16(POLLOUT), deadline: deadline, waitingFor: "sending a command") }
        }
    }

    /// Appends what arrives next to `buffer`, waiting for it.
    private func receive(into buffer: inout [UInt8], deadline: Date, waitingFor command: String) throws(ConnectorError) {
        while true {
            let result = chunk.withUnsafeMutableBytes { space in
                Result { () throws(TransferError) in try easy.receive(into: space, url: settings.server) }
            }
            let received: Int?
            switch result {
            case .success(let count): received = count
            case .failure(let error): throw ConnectorError("IMAP \(error.description)")
            }
            switch received {
            case 0?:
                let last = String(decoding: buffer.suffix(200), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
                throw ConnectorError("\(settings.server) closed the connection during \(command.prefix(40))\(last.isEmpty ? "" : " (last: \(last.suffix(120)))"); the next poll connects again")
            case let count?:
                buffer.append(contentsOf: chunk[0..<count])
                return
            case nil:
                try wait(for: Int16(POLLIN), deadline: deadline, waitingFor: String(command.prefix(40)))
            }
        }
    }

    /// Waits until the socket is ready, in steps short enough to notice a stop at once.
    private func wait(for events: Int16, deadline: Date, waitingFor what: String) throws(ConnectorError) {
        while true {
            if shouldCancel() { throw ConnectorError("the IMAP transfer was cancelled because the poll is stopping") }
            let remaining = deadline.timeIntervalSinceNow
            guard remaining > 0 else {
                if deadline >= pollDeadline {
                    reachedPollDeadline = true
                    throw ConnectorError("the poll reached its Timeout= while \(settings.server) had not answered \(what); messages of earlier batches are committed and the next poll goes on after them (raise Timeout= in [Connector] if the server is merely slow)")
                }
                throw ConnectorError("timed out on \(settings.server) waiting for \(what) after \(ConfigValueParser.formatDuration(settings.timeout)); if the server is merely slow, raise Timeout=")
            }
            var descriptor = pollfd(fd: socket, events: events, revents: 0)
            let ready = poll(&descriptor, 1, Int32(min(250, max(1, remaining * 1000))))
            if ready > 0 { return }
            if ready < 0 && errno != EINTR {
                throw ConnectorError("poll on the connection to \(settings.server): \(String(cString: strerror(errno)))")
            }
        }
    }

    private static func connectFailure(_ error: TransferError, settings: IMAPSettings, user: String,
                                       answer: IMAPLoginAnswer?) -> ConnectorError {
        let server = settings.server
        switch Int(error.code) {
        case Int(CURLE_LOGIN_DENIED.rawValue):
            let said = answer.map { " (it answered \"\($0.text)\")" } ?? ""
            if let answer, answer.isTemporary {
                return ConnectorError("the IMAP server could not check the login of user \(user) at \(server) for now\(said): retried with backoff; if it lasts, look at the server's authentication service")
            }
            return ConnectorError("the IMAP server refused the login of user \(user) at \(server)\(said): check the user name and password in \(settings.credential)", permanent: true)
        case Int(CURLE_USE_SSL_FAILED.rawValue):
            return ConnectorError("\(server) does not offer STARTTLS, and the password is never sent unencrypted: use imaps://, or a server that offers STARTTLS (AllowPlaintext=yes only for a server on this host)", permanent: true)
        default:
            if error.kind == .timeout {
                return ConnectorError("timed out connecting to \(server): \(error.detail) (curl error \(error.code)); check the host and port, or raise ConnectTimeout= if the server is merely slow")
            }
            return ConnectorError("IMAP \(error.description)", permanent: error.kind == .certificate || error.kind == .setup)
        }
    }
}
