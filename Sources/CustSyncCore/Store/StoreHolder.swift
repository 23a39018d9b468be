import Glibc

/// A process that has the store open through SQLite, found by the file locks SQLite holds.
///
/// A connection to a WAL database keeps a shared lock on the database file's lock bytes, and
/// one on the `-shm` file, for as long as it is open, idle or not, whatever control socket its
/// daemon listens on. `BEGIN EXCLUSIVE` cannot tell: under WAL it waits only for a writer in a
/// transaction, and an idle daemon has none. So the lock bytes are asked directly
/// (`fcntl(F_GETLK)`), which takes nothing, changes nothing in the file (a damaged store is
/// probed as safely as a sound one), and names the holder. The calling process's own locks
/// are not seen, and closing the probe's descriptor would drop them: only a process that does
/// not have the store open itself (`custsyncd --restore`) may ask.
public struct StoreHolder: Sendable, Equatable, CustomStringConvertible {
    public var pid: pid_t
    /// The holder's command line, when `/proc` shows it.
    public var command: String?

    /// SQLite's lock bytes in the database file: the pending byte at 1 GiB, the reserved byte
    /// and the 510 bytes of the shared range (sqlite.org/fileformat2.html, "The Lock-Byte Page").
    static let databaseLockBytes: (start: Int, length: Int) = (0x4000_0000, 512)
    /// The `-shm` file's lock bytes: the eight WAL locks at 120 and the byte every connection
    /// holds while it has the shared memory open (SQLite's unix VFS).
    static let sharedMemoryLockBytes: (start: Int, length: Int) = (120, 9)

    /// The first process found holding a lock on `store` or its `-shm` file; nil when none does
    /// (or the files do not exist).
    public static func find(store: String) -> StoreHolder? {
        for (path, bytes) in [(store, databaseLockBytes), (store + "-shm", sharedMemoryLockBytes)] {
            if let pid = lockHolder(path, bytes) { return StoreHolder(pid: pid, command: commandLine(of: pid)) }
        }
        return nil
    }

    public var description: String {
        "process \(pid)" + (command.map { " (\($0))" } ?? "")
    }

    private static func lockHolder(_ path: String, _ bytes: (start: Int, length: Int)) -> pid_t? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var probe = flock()
        probe.l_type = Int16(F_WRLCK)
        probe.l_whence = Int16(SEEK_SET)
        probe.l_start = bytes.start
        probe.l_len = bytes.length
        guard fcntl(fd, F_GETLK, &probe) == 0, probe.l_type != Int16(F_UNLCK) else { return nil }
        return probe.l_pid
    }

    private static func commandLine(of pid: pid_t) -> String? {
        let fd = open("/proc/\(pid)/cmdline", O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 512)
        let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        guard count > 0 else { return nil }
        let words = buffer[..<count].split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
        return words.isEmpty ? nil : words.joined(separator: " ")
    }
}
