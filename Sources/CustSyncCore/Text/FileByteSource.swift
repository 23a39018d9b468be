import Glibc

/// A `ByteSource` over a file descriptor. It takes ownership of the descriptor and closes it
/// in `deinit`, so a reader dropped on an error path never leaks an fd in a long-running daemon.
public final class FileByteSource: ByteSource {
    public let fileDescriptor: Int32
    /// The offset reads stop at, if any: bytes appended to the file past it are never returned,
    /// so what is read is exactly what was measured (and hashed) before.
    public var end: Int64?
    private var position: Int64

    /// Takes ownership of `fileDescriptor`, already opened (and positioned) by the caller.
    public init(fileDescriptor: Int32) {
        self.fileDescriptor = fileDescriptor
        position = Int64(max(0, lseek(fileDescriptor, 0, SEEK_CUR)))
    }

    /// Opens `path` read-only with `O_CLOEXEC` so the fd is not inherited by exec'd helpers.
    public convenience init(path: String) throws {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw ByteSourceError.openFailed(path: path, errno: errno) }
        self.init(fileDescriptor: fd)
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let want = end.map { min(buffer.count, Int(clamping: max(0, $0 - position))) } ?? buffer.count
        guard let base = buffer.baseAddress, want > 0 else { return 0 }
        while true {
            let n = Glibc.read(fileDescriptor, base, want)
            if n >= 0 {
                position += Int64(n)
                return n
            }
            let code = errno
            if code == EINTR { continue }
            throw ByteSourceError.readFailed(errno: code)
        }
    }

    /// Positions the descriptor at an absolute offset: used to sniff the encoding then rewind,
    /// or to resume at a cursor's `endOffset` (pass the same value as the reader's `startOffset`).
    public func seek(to offset: Int64) throws {
        guard lseek(fileDescriptor, off_t(offset), SEEK_SET) >= 0 else {
            throw ByteSourceError.seekFailed(errno: errno)
        }
        position = offset
    }

    deinit {
        close(fileDescriptor)
    }
}
