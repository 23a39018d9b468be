import Foundation
import Glibc
import XCTest

/// A real dovecot IMAP server on 127.0.0.1 for one test, from a throwaway configuration in a
/// temporary directory (passwd-file passdb, static userdb, Maildir, a certificate from
/// `TestCertificateAuthority`). Messages are written straight into the Maildir.
public final class DovecotServer {
    public static let user = "shop"
    public static let password = "s3cret-pass"

    public enum Transport {
        /// `imap://`, STARTTLS required before login.
        case startTLS
        /// `imaps://`, TLS from the first byte.
        case implicitTLS
        /// `imap://` without TLS at all (no STARTTLS offered), plaintext login allowed.
        case plaintext
    }

    public let directory: String
    public let port: Int
    public let transport: Transport
    public let certificates: TestCertificateAuthority
    public var maildir: String { directory + "/mail/" + Self.user }
    public var url: String { (transport == .implicitTLS ? "imaps" : "imap") + "://127.0.0.1:\(port)" }
    private var sequence = 0
    private var master: Process?
    /// dovecot's master process, while it runs.
    public var masterPID: Int32? { master?.processIdentifier }

    /// - Parameter capabilities: replaces what dovecot announces after login (`imap_capability`),
    ///   e.g. to hide MOVE.
    public init(transport: Transport = .startTLS, capabilities: String? = nil) throws {
        self.transport = transport
        guard FileManager.default.isExecutableFile(atPath: "/usr/sbin/dovecot") else {
            throw XCTSkip("dovecot is not installed (bash .ci/install-packages dovecot-imapd, or add dovecot-imapd to TEST_PACKAGES)")
        }
        certificates = try TestCertificateAuthority()
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("custsync-dovecot-\(UUID().uuidString)").path
        port = try Self.freePort()
        for sub in ["run", "state", "mail/\(Self.user)/new", "mail/\(Self.user)/cur", "mail/\(Self.user)/tmp"] {
            try FileManager.default.createDirectory(atPath: directory + "/" + sub, withIntermediateDirectories: true)
        }
        // dovecot refuses mail access as root; as root the mailbox belongs to nobody.
        let isRoot = getuid() == 0
        let mailUID = isRoot ? 65534 : Int(getuid())
        let mailGID = isRoot ? 65534 : Int(getgid())
        let me = String(cString: getpwuid(getuid()).pointee.pw_name)
        try "\(Self.user):{PLAIN}\(Self.password)::::::\n".write(toFile: directory + "/passwd", atomically: true, encoding: .utf8)
        let config = """
        base_dir = \(directory)/run
        state_dir = \(directory)/state
        log_path = \(directory)/dovecot.log
        protocols = imap
        listen = 127.0.0.1
        ssl = \(transport == .plaintext ? "no" : "required")
        disable_plaintext_auth = \(transport == .plaintext ? "no" : "yes")
        ssl_cert = <\(certificates.serverCertificate)
        ssl_key = <\(certificates.serverKey)
        default_internal_user = \(isRoot ? "dovecot" : me)
        default_login_user = \(isRoot ? "dovenull" : me)
        first_valid_uid = 0
        mail_location = maildir:\(directory)/mail/%u
        \(capabilities.map { "imap_capability = " + $0 } ?? "")
        passdb {
          driver = passwd-file
          args = scheme=PLAIN username_format=%u \(directory)/passwd
        }
        userdb {
          driver = static
          args = uid=\(mailUID) gid=\(mailGID) home=\(directory)/mail/%u
        }
        service imap-login {
          chroot =
          inet_listener imap {
            address = 127.0.0.1
            port = \(transport == .implicitTLS ? 0 : port)
          }
          inet_listener imaps {
            address = 127.0.0.1
            port = \(transport == .implicitTLS ? port : 0)
            ssl = yes
          }
        }
        service anvil {
          chroot =
        }
        service stats {
          unix_listener stats-reader {
            mode = 0666
          }
          unix_listener stats-writer {
            mode = 0666
          }
        }

        """
        try config.write(toFile: directory + "/dovecot.conf", atomically: true, encoding: .utf8)
    }

    deinit {
        stop()
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Writes a message into `new/` (before start, or between polls).
    public func deliver(_ bytes: [UInt8]) throws {
        sequence += 1
        let path = "\(maildir)/new/\(1_700_000_000 + sequence).M\(sequence)P1.custsync-test"
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        try fixOwnership()
    }

    /// Creates the folder `name` (Maildir++: `.name` beside INBOX); before start.
    public func createFolder(_ name: String) throws {
        for sub in ["cur", "new", "tmp"] {
            try FileManager.default.createDirectory(atPath: "\(maildir)/.\(name)/\(sub)", withIntermediateDirectories: true)
        }
        try fixOwnership()
    }

    /// The message files of INBOX (`folder` nil) or of a folder, `new/` and `cur/` together.
    /// Maildir keeps the flags in the name: `…:2,S` is a message flagged `\Seen`.
    public func messageFiles(in folder: String? = nil) -> [String] {
        let base = folder.map { "\(maildir)/.\($0)" } ?? maildir
        return ["new", "cur"].flatMap { (try? FileManager.default.contentsOfDirectory(atPath: "\(base)/\($0)")) ?? [] }.sorted()
    }

    /// The bytes dovecot sent in each finished session, from the `Logged out … out=N` lines of
    /// its log; waits (bounded) until there are `sessions` of them.
    public func bytesSentPerSession(waitingFor sessions: Int) -> [Int] {
        var sent: [Int] = []
        for _ in 0..<100 {
            let log = (try? String(contentsOfFile: directory + "/dovecot.log", encoding: .utf8)) ?? ""
            sent = log.split(separator: "\n").filter { $0.contains("Logged out") }.compactMap { line in
                line.split(separator: " ").first { $0.hasPrefix("out=") }.flatMap { Int($0.dropFirst(4)) }
            }
            if sent.count >= sessions { break }
            usleep(20_000)
        }
        return sent
    }

    public func start() throws {
        try fixOwnership()
        // In the foreground (-F): a daemonising child would inherit Foundation's watch on the
        // process and `waitUntilExit` would never return.
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/sbin/dovecot")
        process.arguments = ["-F", "-c", directory + "/dovecot.conf"]
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        master = process
        // Wait until the listener accepts connections (bounded, no timing assertion).
        for _ in 0..<100 {
            if Self.canConnect(port: port) { return }
            usleep(50_000)
        }
        let log = (try? String(contentsOfFile: directory + "/dovecot.log", encoding: .utf8)) ?? ""
        throw XCTSkip("dovecot did not start listening on 127.0.0.1:\(port): \(log.suffix(2000))")
    }

    public func stop() {
        guard let process = master else { return }
        master = nil
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
    }

    /// Sends `signal` to the `imap` processes, one per logged-in session: SIGSTOP makes the
    /// server stop answering in the middle of a session (a hung server, a dead link), SIGCONT
    /// lets it go on.
    public func signalSessions(_ signal: Int32) {
        guard let master = master?.processIdentifier else { return }
        Self.signalSessions(signal, master: master)
    }

    /// `signalSessions` for the dovecot whose master process is `master` (for a closure that
    /// may not hold the server).
    public static func signalSessions(_ signal: Int32, master: Int32) {
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
            guard let pid = Int32(entry),
                  let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")"), let open = stat.firstIndex(of: "(") else { continue }
            // "pid (comm) state ppid …"
            let command = stat[stat.index(after: open)..<close]
            let rest = stat[stat.index(after: close)...].split(separator: " ")
            if command == "imap", rest.count > 1, Int32(rest[1]) == master { kill(pid, signal) }
        }
    }

    /// Stops dovecot, deletes its UID list and indexes (a new UIDVALIDITY), starts it again.
    public func resetUIDValidity() throws {
        stop()
        for name in (try? FileManager.default.contentsOfDirectory(atPath: maildir)) ?? []
        where name == "dovecot-uidlist" || name.hasPrefix("dovecot.index") {
            try FileManager.default.removeItem(atPath: maildir + "/" + name)
        }
        // UIDVALIDITY is a timestamp in seconds: make sure the new one differs.
        sleep(1)
        try start()
    }

    private func fixOwnership() throws {
        guard getuid() == 0 else { return }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/chown")
        process.arguments = ["-R", "65534:65534", directory + "/mail"]
        try process.run()
        process.waitUntilExit()
    }

    private static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0
            }
        }
        guard bound else { throw XCTSkip("no free port on 127.0.0.1") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    private static func canConnect(port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }
}
