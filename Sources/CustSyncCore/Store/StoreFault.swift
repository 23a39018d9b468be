import CSQLite
import Foundation
import Glibc

/// Why the store takes no writes just now, in words an operator can act on. It is about the
/// medium, not the data: a full disk, a file system gone read-only, a file the daemon may no
/// longer write, a failing disk, or a damaged file. `StoreWriter` pauses ingestion on a fault
/// and probes until a write succeeds again (a damaged file needs a restore instead).
public struct StoreFault: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        /// No space left on the store's file system (SQLITE_FULL, ENOSPC, EDQUOT).
        case full
        /// The file system is read-only (EROFS; for example remounted after a disk error).
        case readOnly = "read-only"
        /// The daemon's user may not write the file or its folder (EACCES, EPERM).
        case denied
        /// Reads or writes fail (EIO), or the file cannot be opened (folder unmounted).
        case unavailable
        /// SQLite found the file damaged (SQLITE_CORRUPT, SQLITE_NOTADB): only a restore helps.
        case damaged
    }

    public var kind: Kind
    /// The store file.
    public var store: String
    /// Bytes the daemon may still use on the store's file system, when known.
    public var freeBytes: Int64?
    /// What SQLite and the system said.
    public var detail: String

    public init(kind: Kind, store: String, freeBytes: Int64? = nil, detail: String) {
        self.kind = kind
        self.store = store
        self.freeBytes = freeBytes
        self.detail = detail
    }

    /// The fault `error` stands for, or nil when it is not about the store's medium (a bug, a
    /// constraint, a busy lock).
    public init?(_ error: StoreError, store: String) {
        guard case let .sqlite(code, _, _, systemErrno) = error else { return nil }
        let kind: Kind
        switch (code & 0xff, systemErrno) {
        case (SQLITE_FULL, _), (_, ENOSPC), (_, EDQUOT): kind = .full
        case (_, EROFS): kind = .readOnly
        case (_, EACCES), (_, EPERM): kind = .denied
        case (SQLITE_READONLY, _), (SQLITE_IOERR, _), (SQLITE_CANTOPEN, _):
            // SQLite may report the last of several attempts (a read-only open of a file that
            // does not exist yet): the folder says what really stops writes.
            kind = Self.unwritable(folder: (store as NSString).deletingLastPathComponent)
                ?? (code & 0xff == SQLITE_READONLY ? .readOnly : .unavailable)
        case (SQLITE_CORRUPT, _), (SQLITE_NOTADB, _): kind = .damaged
        default: return nil
        }
        self.init(kind: kind, store: store, freeBytes: kind == .full ? Self.freeBytes(near: store) : nil,
                  detail: "\(error)")
    }

    /// Free space a full store waits for before ingestion resumes, so that one freed page does
    /// not start a batch that fills the disk again at once.
    public static let resumeFreeBytes: Int64 = 4 << 20

    /// The folder holding the store: its file system is the one that is full or read-only.
    public var folder: String { (store as NSString).deletingLastPathComponent }

    /// Whether waiting can end the fault (everything but a damaged file).
    public var mayPass: Bool { kind != .damaged }

    /// A few words: "store full", "store read-only" …
    public var summary: String {
        switch kind {
        case .full: return "store full"
        case .readOnly: return "store read-only"
        case .denied: return "store not writable"
        case .unavailable: return "store unavailable"
        case .damaged: return "store damaged"
        }
    }

    public var description: String {
        switch kind {
        case .full:
            let free = freeBytes.map { "\($0) bytes free" } ?? "no space left"
            return "\(summary): \(free) on \(folder); free at least \(Self.resumeFreeBytes >> 20) MiB there (or grow the file system) and ingestion resumes by itself"
        case .readOnly:
            return "\(summary): \(folder) is on a read-only file system; make it writable again (after a disk error: unmount, fsck, mount read-write; custsyncd has let go of the file) and ingestion resumes by itself"
        case .denied:
            return "\(summary): custsyncd may not write \(store) or its folder; give the daemon's user write access and ingestion resumes by itself"
        case .unavailable:
            return "\(summary): \(store) cannot be read or written (\(detail)); check the disk and the mount (dmesg) and ingestion resumes by itself"
        case .damaged:
            return "\(summary): \(detail); ingestion stopped. Stop custsyncd and restore a backup: `syncctl backups`, `custsyncd --restore latest` (docs/RESTORE.md)"
        }
    }

    /// Why `folder` cannot be written to, if it cannot.
    static func unwritable(folder: String) -> Kind? {
        guard access(folder, W_OK) != 0 else { return nil }
        switch errno {
        case EROFS: return .readOnly
        case EACCES, EPERM: return .denied
        default: return nil
        }
    }

    /// Bytes available to unprivileged writers on the file system holding `path`.
    static func freeBytes(near path: String) -> Int64? {
        var info = statvfs()
        guard statvfs((path as NSString).deletingLastPathComponent, &info) == 0 else { return nil }
        return Int64(info.f_bavail) * Int64(info.f_frsize)
    }
}
