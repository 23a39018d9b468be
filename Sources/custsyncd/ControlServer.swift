import CLinux
import CustSyncCore
import Foundation
import Glibc
import Synchronization

/// The control socket: a Unix stream socket speaking one JSON request per line and one JSON
/// response per line. The accept loop and each client run on threads of their own, so a slow
/// client never blocks the daemon. The type owns the listening descriptor and the socket file.
final class ControlServer: @unchecked Sendable {
    // @unchecked: `listener` is set once in `init` and only closed in `close()`.
    let path: String
    private let listener: Int32
    private let handler: Handler
    private let served = Mutex(Served())

    /// Connections served at once for one uid. Anyone may connect, and each connection holds a
    /// thread and a descriptor until its client hangs up: without a bound, one user (of any
    /// role, or none) could take every descriptor of the daemon, and its connectors and store
    /// readers with them.
    static let connectionsPerUser = 16
    /// Connections served at once in all: well below the 1024 descriptors a service gets.
    static let connectionsInAll = 256
    /// Seconds a client may leave the daemon waiting: to send a request, or to read what is
    /// sent to it. A client that stops reading would otherwise hold its thread for ever, and
    /// during `export` a read transaction whose snapshot keeps SQLite from checkpointing the
    /// WAL, which then grows with every write.
    static let clientTimeout: TimeInterval = 30

    /// The connections being served, by uid.
    private struct Served {
        var byUser: [UInt32: Int] = [:]
        var total = 0

        mutating func release(_ uid: UInt32) {
            total -= 1
            let left = byUser[uid, default: 1] - 1
            byUser[uid] = left > 0 ? left : nil
        }
    }

    /// Answers one request: the response line, or nil when the handler streamed its answer
    /// through the `ResponseStream` itself.
    typealias Handler = @Sendable (ControlRequest, PeerCredentials, ResponseStream) -> Data?

    /// Who is on the other end, from the kernel: `SO_PEERCRED`, and `SO_PEERGROUPS` for the
    /// supplementary groups (nil where the kernel does not have it).
    struct PeerCredentials: Sendable { let pid: Int32; let uid: UInt32; let gid: UInt32; let groups: [UInt32]? }

    /// `struct ucred` from <sys/socket.h>, which glibc only declares under _GNU_SOURCE.
    private struct PeerCredentialsLayout { var pid: Int32 = 0; var uid: UInt32 = 0; var gid: UInt32 = 0 }

    struct StartError: Error, CustomStringConvertible { let description: String }

    init(path: String, handler: @escaping Handler) throws {
        self.path = path
        self.handler = handler
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        if Self.someoneListens(at: path) {
            throw StartError(description: "another custsyncd already answers on \(path); stop it first or set ControlSocket= elsewhere")
        }
        unlink(path)
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw StartError(description: "socket: \(String(cString: strerror(errno)))") }
        guard Self.withAddress(path, { bind(fd, $0, $1) }) == 0, listen(fd, 64) == 0 else {
            let reason = String(cString: strerror(errno))
            Glibc.close(fd)
            throw StartError(description: "cannot listen on \(path): \(reason)")
        }
        // Anyone may connect; what they may do is decided per request from SO_PEERCRED.
        chmod(path, 0o666)
        listener = fd
        let thread = Thread { [self] in acceptLoop() }
        thread.name = "control-accept"
        thread.start()
    }

    func close() {
        shutdown(listener, Int32(SHUT_RDWR))
        Glibc.close(listener)
        unlink(path)
    }

    private func acceptLoop() {
        while true {
            // Close-on-exec from the start: an exec connector's program must not inherit a
            // client's connection (it would stay open, unseen, for as long as the program runs).
            let client = clinux_accept_cloexec(listener)
            if client < 0 {
                switch errno {
                case EINTR, ECONNABORTED, EPROTO: continue
                // Out of descriptors or memory: the connections that hold them end sooner or
                // later, so wait and accept again instead of closing the socket for good.
                case EMFILE, ENFILE, ENOBUFS, ENOMEM: usleep(100_000); continue
                default: return // listener closed
                }
            }
            guard let peer = Self.credentials(client) else { Glibc.close(client); continue }
            guard admit(peer.uid) else {
                _ = Self.sendAll(client, ControlResponses.failure(ControlFailure(
                    "too many connections from uid \(peer.uid) (at most \(Self.connectionsPerUser) at a time, \(Self.connectionsInAll) in all); close the ones you do not need (a syncctl left waiting?) and try again"
                )) + Data("\n".utf8))
                Glibc.close(client)
                continue
            }
            let thread = Thread { [self] in
                serve(client, peer)
                served.withLock { $0.release(peer.uid) }
            }
            thread.start()
        }
    }

    /// Counts a new connection of `uid`, or false when it would pass a bound.
    private func admit(_ uid: UInt32) -> Bool {
        served.withLock { served in
            guard served.total < Self.connectionsInAll, served.byUser[uid, default: 0] < Self.connectionsPerUser else { return false }
            served.byUser[uid, default: 0] += 1
            served.total += 1
            return true
        }
    }

    /// The peer's credentials from the kernel, or nil when it cannot tell.
    private static func credentials(_ client: Int32) -> PeerCredentials? {
        var credentials = PeerCredentialsLayout()
        var length = socklen_t(MemoryLayout<PeerCredentialsLayout>.size)
        guard getsockopt(client, SOL_SOCKET, SO_PEERCRED, &credentials, &length) == 0 else { return nil }
        return PeerCredentials(pid: credentials.pid, uid: credentials.uid, gid: credentials.gid, groups: peerGroups(client))
    }

    private func serve(_ client: Int32, _ peer: PeerCredentials) {
        defer { Glibc.close(client) }
        // recv and send then fail with EAGAIN, which ends the connection (see `clientTimeout`).
        var timeout = timeval(tv_sec: Int(Self.clientTimeout), tv_usec: 0)
        for option in [SO_RCVTIMEO, SO_SNDTIMEO] {
            _ = setsockopt(client, SOL_SOCKET, option, &timeout, socklen_t(MemoryLayout<timeval>.size))
        }
        let stream = ResponseStream(descriptor: client)
        var buffer: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = chunk.withUnsafeMutableBytes { recv(client, $0.baseAddress, $0.count, 0) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return }
            buffer.append(contentsOf: chunk[0..<n])
            if buffer.count > 1 << 20 { return }
            while let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                let line = Data(buffer[..<newline])
                buffer.removeSubrange(...newline)
                let response: Data?
                if let request = try? JSONDecoder().decode(ControlRequest.self, from: line) {
                    response = handler(request, peer, stream)
                } else {
                    response = ControlResponses.failure(.usage("malformed request: expected one JSON object per line"))
                }
                if let response { guard stream.send(response) else { return } }
                guard stream.isOpen else { return }
            }
        }
    }

    /// The peer's supplementary groups (`SO_PEERGROUPS`, Linux 4.13+), as the kernel saw them
    /// when it connected; nil when the kernel cannot tell.
    private static func peerGroups(_ fd: Int32) -> [UInt32]? {
        var capacity = 64
        while capacity <= 1 << 16 {
            var groups = [gid_t](repeating: 0, count: capacity)
            var length = socklen_t(capacity * MemoryLayout<gid_t>.size)
            if getsockopt(fd, SOL_SOCKET, SO_PEERGROUPS, &groups, &length) == 0 {
                return Array(groups.prefix(Int(length) / MemoryLayout<gid_t>.size))
            }
            guard errno == ERANGE else { return nil }
            capacity = max(capacity * 2, Int(length) / MemoryLayout<gid_t>.size + 1)
        }
        return nil
    }

    static func sendAll(_ fd: Int32, _ data: Data) -> Bool {
        data.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = send(fd, raw.baseAddress! + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { return false }
                offset += n
            }
            return true
        }
    }

    static func someoneListens(at path: String) -> Bool {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        defer { Glibc.close(fd) }
        return withAddress(path) { connect(fd, $0, $1) } == 0
    }

    static func withAddress(_ path: String, _ body: (UnsafePointer<sockaddr>, socklen_t) -> Int32) -> Int32 {
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: addr.sun_path) else { errno = ENAMETOOLONG; return -1 }
        withUnsafeMutableBytes(of: &addr.sun_path) { $0.copyBytes(from: bytes) }
        return withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                body($0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
    }
}
