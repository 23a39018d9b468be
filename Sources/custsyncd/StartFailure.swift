import CSQLite
import CustSyncCore

/// Why the daemon could not start, as the line it prints and the status it exits with.
///
/// A store file that is damaged, foreign or from a newer custsync exits 65 (EX_DATAERR): no
/// restart can fix it, so the unit's `RestartPreventExitStatus=65` keeps systemd from trying
/// again and again; the message points to the restore procedure. Everything else exits 1 and may
/// pass (a file system not yet mounted read-write, a directory not yet there).
struct StartFailure {
    /// The store file itself is refused.
    static let storeRefusedStatus: Int32 = 65

    let message: String
    let exitStatus: Int32

    init(_ error: Error, store: String) {
        let restore = " The store file is damaged: stop here and restore a backup (`syncctl backups` lists them, "
            + "`custsyncd --restore latest`, see docs/RESTORE.md)."
        switch error {
        case StoreError.notACustSyncStore, StoreError.newerSchema, StoreError.damaged:
            message = "cannot start: \(error)"
            exitStatus = Self.storeRefusedStatus
        case let error as StoreError where error.primaryCode == SQLITE_CORRUPT || error.primaryCode == SQLITE_NOTADB:
            message = "cannot start: \(error).\(restore)"
            exitStatus = Self.storeRefusedStatus
        case let error as StoreError:
            if let fault = StoreFault(error, store: store), fault.kind != .damaged {
                message = "cannot start: \(fault.summary): \(error). Make the store's folder writable for the daemon's user "
                    + "(file system mounted read-write, ownership, free space), then start again."
            } else {
                message = "cannot start: \(error)"
            }
            exitStatus = 1
        default:
            message = "cannot start: \(error)"
            exitStatus = 1
        }
    }
}
