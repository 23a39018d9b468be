import CSQLite
import Foundation
import Glibc

/// Online backups of the store with SQLite's backup API, each checked before it counts.
///
/// A backup is written to a hidden `.partial` file next to its destination, switched to a
/// self-contained rollback-journal file, checked (`PRAGMA integrity_check` and the custsync
/// identity of the file), and only then given its name — a backup that is listed is whole.
public enum StoreBackup {
    /// Copies the store at `storePath` into the new file `destination`, which must not exist.
    ///
    /// The copy reads one snapshot through a read-only connection of its own, so it never
    /// blocks the store writer (the store runs in WAL mode).
    /// - Returns: the size of the backup in bytes.
    public static func write(store storePath: String, to destination: String) throws -> Int64 {
        let partial = partialPath(for: destination)
        unlink(partial)
        defer { unlink(partial); unlink(partial + "-journal") }
        do {
            let source = try SQLiteConnection(path: storePath, mode: .readOnly)
            try StoreFile.checkIdentity(source)
            let target = try SQLiteConnection(path: partial, mode: .readWrite)
            try source.backup(into: target)
            // The copy inherits WAL mode from the live store; a backup is one file.
            try target.execute("PRAGMA journal_mode=DELETE")
        }
        chmod(partial, 0o600)
        try check(partial)
        try publish(partial, as: destination)
        return fileSize(destination)
    }

    /// Copies an existing (checked) backup file to `destination` with plain file I/O, for the
    /// second folder, then checks the copy there.
    public static func copy(_ source: String, to destination: String) throws -> Int64 {
        let partial = partialPath(for: destination)
        unlink(partial)
        defer { unlink(partial) }
        try copyFile(source, to: partial, mode: 0o600)
        try check(partial)
        try publish(partial, as: destination)
        return fileSize(destination)
    }

    /// Throws unless `path` is a sound custsync store: SQLite's integrity check finds nothing
    /// and the file carries custsync's application id and a schema version this build knows.
    public static func check(_ path: String) throws {
        guard FileManager.default.fileExists(atPath: path) else { throw BackupError("\(path) does not exist") }
        let connection = try SQLiteConnection(path: path, mode: .readOnly)
        try StoreFile.checkIdentity(connection)
        let problems = try connection.integrityProblems()
        guard problems.isEmpty else {
            throw BackupError("\(path) fails its integrity check: \(problems.prefix(3).joined(separator: "; "))")
        }
        guard (try connection.scalarInt("PRAGMA user_version") ?? 0) > 0 else {
            throw BackupError("\(path) is an empty store (no schema); it is not a backup of a running custsync")
        }
    }

    // MARK: files

    static func partialPath(for destination: String) -> String {
        let url = URL(fileURLWithPath: destination)
        // Unique per call: two backups aiming at one name never share a scratch file.
        let tag = String(UInt32.random(in: .min ... .max), radix: 16)
        return url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).\(tag).partial").path
    }

    /// Gives `partial` its final name without ever replacing an existing file: a hard link where
    /// the file system has them (atomic, fails on an existing name), else a checked rename
    /// (some network shares have no hard links).
    static func publish(_ partial: String, as destination: String) throws {
        if link(partial, destination) == 0 {
            syncDirectory(of: destination)
            return
        }
        let reason = errno
        if reason == EEXIST { throw BackupError("\(destination) already exists; choose another name") }
        guard !FileManager.default.fileExists(atPath: destination) else {
            throw BackupError("\(destination) already exists; choose another name")
        }
        guard rename(partial, destination) == 0 else {
            throw BackupError("cannot create \(destination): \(String(cString: strerror(errno)))")
        }
        syncDirectory(of: destination)
    }

    /// Copies a file and flushes it to disk; the copy gets `mode`.
    static func copyFile(_ source: String, to destination: String, mode: mode_t) throws {
        let input = open(source, O_RDONLY | O_CLOEXEC)
        guard input >= 0 else { throw BackupError("cannot read \(source): \(String(cString: strerror(errno)))") }
        defer { close(input) }
        let output = open(destination, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard output >= 0 else { throw BackupError("cannot create \(destination): \(String(cString: strerror(errno)))") }
        defer { close(output) }
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = buffer.withUnsafeMutableBytes { Glibc.read(input, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n >= 0 else { throw BackupError("cannot read \(source): \(String(cString: strerror(errno)))") }
            if n == 0 { break }
            var offset = 0
            while offset < n {
                let written = buffer.withUnsafeBytes { Glibc.write(output, $0.baseAddress! + offset, n - offset) }
                if written < 0 && errno == EINTR { continue }
                guard written > 0 else { throw BackupError("cannot write \(destination): \(String(cString: strerror(errno)))") }
                offset += written
            }
        }
        guard fsync(output) == 0 else { throw BackupError("cannot flush \(destination): \(String(cString: strerror(errno)))") }
        fchmod(output, mode)
    }

    static func syncDirectory(of path: String) {
        let directory = open(URL(fileURLWithPath: path).deletingLastPathComponent().path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard directory >= 0 else { return }
        fsync(directory)
        close(directory)
    }

    static func fileSize(_ path: String) -> Int64 {
        var info = stat()
        return stat(path, &info) == 0 ? Int64(info.st_size) : 0
    }
}

extension SQLiteConnection {
    /// Copies this whole database into `target` with the online backup API in a single step:
    /// one consistent snapshot. Under WAL the snapshot does not block the writer, and unlike a
    /// page-by-page copy it never restarts when the writer commits meanwhile.
    func backup(into target: SQLiteConnection) throws(StoreError) {
        guard let backup = sqlite3_backup_init(target.handle, "main", handle, "main") else {
            throw target.error(sqlite3_errcode(target.handle), sql: nil)
        }
        var rc: Int32
        repeat {
            rc = sqlite3_backup_step(backup, -1)
            if rc == SQLITE_BUSY || rc == SQLITE_LOCKED { sqlite3_sleep(20) }
        } while rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED
        sqlite3_backup_finish(backup)
        guard rc == SQLITE_DONE else { throw target.error(rc, sql: nil) }
    }
}
