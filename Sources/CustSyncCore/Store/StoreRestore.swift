import Foundation
import Glibc

/// Puts a backup in place of the store, for `custsyncd --restore` (with the daemon stopped).
///
/// The backup is checked first; the current store and its `-wal`/`-shm` files are moved aside
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
}
