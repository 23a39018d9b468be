import Foundation
import Glibc

/// Reads newline-terminated lines from a descriptor without loading more than one line (and a
/// 64 KiB buffer) into memory. A line longer than `maxLength` is returned as `.tooLong` and
/// skipped to its end, so one monster line cannot exhaust memory or stop the stream.
final class LineReader {
    enum Line { case text(String), tooLong(prefix: String), timeout, end }

    private let fd: Int32
    private let maxLength: Int
    private var buffer: [UInt8] = []
    private var start = 0
    private var eof = false
    private var chunk = [UInt8](repeating: 0, count: 1 << 16)
    /// Inside a line longer than `maxLength`: its bytes are dropped up to the next newline.
    private var discarding = false
    private var prefix = ""

    /// Bytes held: the unread rest of what was read, and the lines already returned before it.
    var bufferedByteCount: Int { buffer.count }

    init(fd: Int32, maxLength: Int = 1 << 20) {
        self.fd = fd
        self.maxLength = maxLength
        buffer.reserveCapacity(1 << 16)
    }

    /// The next line, waiting at most `timeout` seconds for more data.
    func next(timeout: TimeInterval) throws(ConnectorError) -> Line {
        while true {
            if let newline = buffer[start...].firstIndex(of: UInt8(ascii: "\n")) {
                var end = newline
                if end > start && buffer[end - 1] == UInt8(ascii: "\r") { end -= 1 }
                let slice = buffer[start..<end]
                start = newline + 1
                if discarding { discarding = false; return .tooLong(prefix: prefix) }
                return .text(String(decoding: slice, as: UTF8.self))
            }
            if buffer.count - start > maxLength {
                if !discarding { prefix = String(decoding: buffer[start..<(start + 200)], as: UTF8.self) }
                discarding = true
                buffer.removeAll(keepingCapacity: true)
                start = 0
            }
            if eof {
                if start < buffer.count {
                    let rest = String(decoding: buffer[start...], as: UTF8.self)
                    buffer.removeAll(); start = 0
                    if discarding { discarding = false; return .tooLong(prefix: prefix) }
                    return .text(rest)
                }
                if discarding { discarding = false; return .tooLong(prefix: prefix) }
                return .end
            }
            // Drop the lines already returned before reading more: a read rarely ends at a line
            // end, and keeping them whenever a line was left unfinished held all the output.
            if start > 0 { buffer.removeSubrange(0..<start); start = 0 }
            var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let ready = poll(&pfd, 1, Int32(max(0, timeout) * 1000))
            if ready < 0 {
                if errno == EINTR { continue }
                throw ConnectorError("poll: \(String(cString: strerror(errno)))")
            }
            if ready == 0 { return .timeout }
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw ConnectorError("read: \(String(cString: strerror(errno)))")
            }
            if n == 0 { eof = true } else { buffer.append(contentsOf: chunk[0..<n]) }
        }
    }
}
