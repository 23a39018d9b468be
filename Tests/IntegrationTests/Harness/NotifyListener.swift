import Foundation
import Glibc

/// The test's side of sd_notify: a datagram socket the daemon sends READY=1, WATCHDOG=1 … to.
final class NotifyListener {
    let path: String
    private let fd: Int32
    private(set) var messages: [String] = []

    init(path: String) {
        self.path = path
        fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &addr.sun_path) { $0.copyBytes(from: Array(path.utf8)) }
        _ = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
    }

    deinit { close(fd); unlink(path) }

    /// Waits until a received datagram contains `text`; returns whether one did in time.
    func waitFor(_ text: String, timeout: TimeInterval) -> Bool {
        waitFor(text, count: 1, timeout: timeout)
    }

    /// How many datagrams received so far contain `text`, after reading what is queued.
    func count(_ text: String) -> Int {
        _ = waitFor("\u{0}never", count: 1, timeout: 0.05)
        return messages.filter { $0.contains(text) }.count
    }

    /// Waits until `count` datagrams containing `text` have arrived in all.
    func waitFor(_ text: String, count: Int, timeout: TimeInterval) -> Bool {
        func seen() -> Int { messages.filter { $0.contains(text) }.count }
        if seen() >= count { return true }
        let end = Date().addingTimeInterval(timeout)
        var buffer = [UInt8](repeating: 0, count: 4096)
        while Date() < end {
            var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&pfd, 1, Int32(max(1, end.timeIntervalSinceNow * 1000))) > 0 else { continue }
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            guard n > 0 else { continue }
            let message = String(decoding: buffer[0..<n], as: UTF8.self)
            messages.append(message)
            if seen() >= count { return true }
        }
        return false
    }
}
