import Foundation
import Glibc

/// One inotify instance watching one directory for files that arrive, change or leave.
/// It owns the inotify descriptor and closes it in `deinit`.
///
/// Names are bytes, as the kernel reports them: a file name need not be valid UTF-8.
public final class InotifyWatch {
    public enum Event: Equatable, Sendable {
        /// A file opened for writing was closed (`IN_CLOSE_WRITE`).
        case closedAfterWrite([UInt8])
        /// A file was renamed into the directory (`IN_MOVED_TO`).
        case movedIn([UInt8])
        /// A file appeared (`IN_CREATE`): it may still be being written.
        case created([UInt8])
        /// A file was written to (`IN_MODIFY`); its writer may still hold it open.
        case modified([UInt8])
        /// A file was deleted or renamed away (`IN_DELETE`, `IN_MOVED_FROM`).
        case removed([UInt8])
        /// The kernel's queue overflowed: events were lost, list the directory again.
        case overflow
        /// The directory itself was deleted, moved or unmounted: the watch is dead.
        case directoryGone
    }

    public let directory: String
    private let fd: Int32
    private var buffer = [UInt8](repeating: 0, count: 64 * 1024)

    /// Starts watching `directory` (which must be a real directory, not a symbolic link).
    public init(directory: String) throws(ConnectorError) {
        self.directory = directory
        let fd = inotify_init1(Int32(IN_CLOEXEC | IN_NONBLOCK))
        guard fd >= 0 else {
            throw ConnectorError("inotify_init1: \(String(cString: strerror(errno))) (raise fs.inotify.max_user_instances?)")
        }
        let mask = UInt32(IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE | IN_MODIFY | IN_DELETE | IN_MOVED_FROM
                          | IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR | IN_DONT_FOLLOW | IN_EXCL_UNLINK)
        guard inotify_add_watch(fd, directory, mask) >= 0 else {
            let code = errno
            close(fd)
            throw ConnectorError("cannot watch \(directory): \(String(cString: strerror(code)))"
                                 + (code == ENOSPC ? " (raise fs.inotify.max_user_watches)" : ""))
        }
        self.fd = fd
    }

    deinit {
        close(fd)
    }

    /// Waits up to `timeout` seconds for events (corresponding C functions: `poll`, `read`) and
    /// returns what arrived; empty when nothing did.
    public func wait(timeout: TimeInterval) throws(ConnectorError) -> [Event] {
        var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        let milliseconds = Int32(max(0, min(timeout, 3600)) * 1000)
        while true {
            let ready = poll(&pfd, 1, milliseconds)
            if ready < 0 {
                if errno == EINTR { continue }
                throw ConnectorError("poll on inotify: \(String(cString: strerror(errno)))")
            }
            if ready == 0 { return [] }
            break
        }
        var events: [Event] = []
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                if errno == EAGAIN || errno == EWOULDBLOCK { return events }
                throw ConnectorError("read from inotify: \(String(cString: strerror(errno)))")
            }
            if n == 0 { return events }
            buffer.withUnsafeBytes { raw in
                var offset = 0
                let header = MemoryLayout<inotify_event>.size
                while offset + header <= n {
                    let mask = raw.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self)
                    let length = Int(raw.loadUnaligned(fromByteOffset: offset + 12, as: UInt32.self))
                    let nameBytes = raw[(offset + header)..<min(n, offset + header + length)]
                    let name = Array(nameBytes.prefix { $0 != 0 })
                    offset += header + length
                    if let event = Self.event(mask: mask, name: name) { events.append(event) }
                }
            }
        }
    }

    private static func event(mask: UInt32, name: [UInt8]) -> Event? {
        func has(_ flag: Int32) -> Bool { mask & UInt32(flag) != 0 }
        if has(IN_Q_OVERFLOW) { return .overflow }
        if has(IN_DELETE_SELF) || has(IN_MOVE_SELF) || has(IN_IGNORED) || has(IN_UNMOUNT) { return .directoryGone }
        guard !name.isEmpty else { return nil }
        if has(IN_CLOSE_WRITE) { return .closedAfterWrite(name) }
        if has(IN_MOVED_TO) { return .movedIn(name) }
        if has(IN_CREATE) { return .created(name) }
        if has(IN_DELETE) || has(IN_MOVED_FROM) { return .removed(name) }
        if has(IN_MODIFY) { return .modified(name) }
        return nil
    }
}
