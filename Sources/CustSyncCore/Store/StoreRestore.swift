import Foundation
import Glibc

/// Puts a backup in place of the store, for `custsyncd --restore` (with the daemon stopped).
///
/// Nothing is done while any process has the store open (`StoreHolder`): a daemon of another
/// configuration, or one whose `ControlSocket=` changed since it started, does not answer on
/// the socket the restore knows of, and would go on writing to the file moved aside. The
/// backup is checked first; the current store and its `-wal`/`-shm` files are moved aside
/// (never deleted) as `store.db.before-restore-<time>…`; the backup is copied in under a
/// temporary name with the old store's owner and mode, and renamed into place.
public enum StoreRestore {
    public struct Outcome: Sendable {
        public var store: String
        public var backup: String
        /// Where the replaced files went.
        public var movedAside: [String]
    }

    public static func restore(backup: String, store: String, now: Date = Date()) throws -> Outcome {
        try refuseIfInUse(store)
        do {
            try StoreBackup.check(backup)
        } catch {
            throw BackupError("refusing to restore \(backup): \(error). Pick another backup (`syncctl backups` lists them).")
        }
        var owner: (uid: uid_t, gid: gid_t, mode: mode_t)?
        var info = stat()
        if stat(store, &info) == 0 { owner = (info.st_uid, info.st_gid, info.st_mode & 0o7777) }

        let directory = URL(fileURLWithPath: store).deletingLastPathComponent().path
        let incoming = ConfigValueParser.resolve(".\(URL(fileURLWithPath: store).lastPathComponent).restoring", relativeTo: directory)
        unlink(incoming)
        try StoreBackup.copyFile(backup, to: incoming, mode: owner?.mode ?? 0o600)
        if let owner, getuid() == 0 { chown(incoming, owner.uid, owner.gid) }

        do {
            // Again just before the move: the copy may have taken a while.
            try refuseIfInUse(store)
        } catch {
            unlink(incoming)
            throw error
        }
        var moved: [String] = []
        let aside = store + ".before-restore-" + BackupCatalog.stamp(now)
        for suffix in ["", "-wal", "-shm", "-journal"] where FileManager.default.fileExists(atPath: store + suffix) {
            guard rename(store + suffix, aside + suffix) == 0 else {
                let reason = String(cString: strerror(errno))
                unlink(incoming)
                throw BackupError("cannot move \(store + suffix) aside to \(aside + suffix): \(reason)")
            }
            moved.append(aside + suffix)
        }
        guard rename(incoming, store) == 0 else {
            let reason = String(cString: strerror(errno))
            throw BackupError("cannot put the backup in place as \(store): \(reason); the old store is at \(aside)")
        }
        StoreBackup.syncDirectory(of: store)
        return Outcome(store: store, backup: backup, movedAside: moved)
    }

    private static func refuseIfInUse(_ store: String) throws {
        guard let holder = StoreHolder.find(store: store) else { return }
        throw BackupError("refusing to restore: \(store) is in use by \(holder). A custsyncd started from another "
            + "configuration, or before its ControlSocket= changed, does not answer on this configuration's socket "
            + "but still writes to the store. Stop it (systemctl stop custsyncd, or kill \(holder.pid)) and any "
            + "other program that has the store open, then restore")
    }
}
