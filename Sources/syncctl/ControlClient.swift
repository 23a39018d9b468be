import CustSyncCore
import Foundation
import Glibc

/// One connection to the daemon's control socket; owns the descriptor.
final class ControlClient {
    private let fd: Int32
    private var buffer: [UInt8] = []

    /// Connects, or throws the exit-3 failure that says the daemon is not running.
    init(path: String) throws(ControlFailure) {
        fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: addr.sun_path) else {
            close(fd)
            throw ControlFailure("socket path too long: \(path)", exit: 2)
        }
        withUnsafeMutableBytes(of: &addr.sun_path) { $0.copyBytes(from: bytes) }
        let rc = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard rc == 0 else {
            let code = errno
            let reason = String(cString: strerror(code))
            close(fd)
            if code == EACCES || code == EPERM {
                // The daemon may well run: the socket, or a folder above it, is closed to us.
                throw ControlFailure("""
                    cannot connect to \(path): \(reason) for uid \(getuid()) (\(Self.userName)).
                    The control socket and every folder above it must be open to syncctl's users; check ControlSocket= and the folders' modes (ls -ld).
                    """, exit: 4)
            }
            throw ControlFailure("""
                custsyncd is not running (cannot connect to \(path): \(reason)).
                Start it with `systemctl start custsyncd` (or `make run` in a checkout), or point --socket at its ControlSocket=.
                """, exit: 3)
        }
    }

    deinit { close(fd) }

    /// The caller's user name, for messages.
    private static var userName: String {
        getpwuid(getuid()).map { String(cString: $0.pointee.pw_name) } ?? "uid \(getuid())"
    }

    /// Sends `request` and returns the raw JSON of its `result`, or throws the daemon's refusal.
    func send(_ request: ControlRequest) throws(ControlFailure) -> Data {
        var line = (try? JSONEncoder().encode(request)) ?? Data()
        line.append(UInt8(ascii: "\n"))
        let sent = line.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        guard sent == line.count else { throw ControlFailure("lost the connection to custsyncd", exit: 3) }
        let response = try readLine()
        guard let object = try? JSONSerialization.jsonObject(with: response) as? [String: Any] else {
            throw ControlFailure("custsyncd sent a malformed response")
        }
        guard object["ok"] as? Bool == true else {
            let exitCode = (object["exit"] as? NSNumber)?.int32Value ?? 1
            throw ControlFailure(object["error"] as? String ?? "request failed", exit: exitCode)
        }
        let result = object["result"] ?? NSNull()
        return (try? JSONSerialization.data(withJSONObject: result, options: [.fragmentsAllowed, .sortedKeys])) ?? Data()
    }

    /// Sends a request whose answer is streamed (`export`): after the header line, calls
    /// `body` with each item (the JSON of `row`) as it arrives; returns the count the daemon
    /// reported at the end.
    func stream(_ request: ControlRequest, _ body: (Data) throws -> Void) throws -> Int {
        var line = (try? JSONEncoder().encode(request)) ?? Data()
        line.append(UInt8(ascii: "\n"))
        let sent = line.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        guard sent == line.count else { throw ControlFailure("lost the connection to custsyncd", exit: 3) }
        while true {
            let response = try readLine()
            guard let object = try? JSONSerialization.jsonObject(with: response) as? [String: Any] else {
                throw ControlFailure("custsyncd sent a malformed response")
            }
            if let row = object["row"] {
                try body(try JSONSerialization.data(withJSONObject: row, options: [.sortedKeys, .withoutEscapingSlashes]))
            } else if let end = object["end"] as? [String: Any] {
                return (end["count"] as? NSNumber)?.intValue ?? 0
            } else if object["ok"] as? Bool == false {
                let exitCode = (object["exit"] as? NSNumber)?.int32Value ?? 1
                throw ControlFailure(object["error"] as? String ?? "request failed", exit: exitCode)
            } else if object["stream"] == nil {
                throw ControlFailure("custsyncd sent an unexpected line while streaming")
            }
        }
    }

    private func readLine() throws(ControlFailure) -> Data {
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            if let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                let line = Data(buffer[..<newline])
                buffer.removeSubrange(...newline)
                return line
            }
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { throw ControlFailure("custsyncd closed the connection", exit: 3) }
            buffer.append(contentsOf: chunk[0..<n])
        }
    }
}
