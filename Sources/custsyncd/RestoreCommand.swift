import CustSyncCore
import Foundation

/// `custsyncd --restore BACKUP`: puts a checked backup in place of the store while the daemon
/// is stopped. The steps are those of docs/RESTORE.md, done in one go.
enum RestoreCommand {
    static func run(backup: String, configuration: Configuration) -> Int32 {
        let store = configuration.daemon.store
        if ControlServer.someoneListens(at: configuration.daemon.controlSocket) {
            fail("custsyncd is running (it answers on \(configuration.daemon.controlSocket)); stop it first (systemctl stop custsyncd), then restore")
            return 1
        }
        guard let path = locate(backup, configuration: configuration) else { return 1 }
        do {
            let outcome = try StoreRestore.restore(backup: path, store: store)
            print("custsyncd: restored \(store) from \(path) (integrity checked)")
            for moved in outcome.movedAside { print("  the replaced file is kept as \(moved)") }
            print("Next: start custsyncd (systemctl start custsyncd) and run `syncctl verify`.")
            print("Records committed after the backup are read again from the connectors' upstreams where they still have them.")
            return 0
        } catch {
            fail("\(error)")
            return 1
        }
    }

    /// A path, a backup file name in one of the backup folders, or `latest` (the newest backup).
    private static func locate(_ backup: String, configuration: Configuration) -> String? {
        let listing = BackupCatalog.list(configuration)
        if backup == "latest" {
            guard let newest = listing.backups.first else {
                fail("no backups in \(listing.directory)\(listing.secondaryDirectory.map { " or \($0)" } ?? ""); give the backup's path")
                return nil
            }
            return newest.path
        }
        if backup.contains("/") || FileManager.default.fileExists(atPath: backup) {
            return ConfigValueParser.resolve(backup, relativeTo: FileManager.default.currentDirectoryPath)
        }
        if let found = listing.backups.first(where: { $0.name == backup }) { return found.path }
        fail("no backup named \(backup) in \(listing.directory)\(listing.secondaryDirectory.map { " or \($0)" } ?? ""); `syncctl backups` lists them")
        return nil
    }

    private static func fail(_ message: String) {
        FileHandle.standardError.write(Data("custsyncd: \(message)\n".utf8))
    }
}
