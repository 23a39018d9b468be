import CustSyncCore
import Dispatch
import Foundation
import Glibc

/// Online backups: scheduled ones every `BackupInterval=` (kept `BackupKeep=` deep, copied to
/// `SecondaryDirectory=`), and manual ones for `syncctl backup`. Scheduled backups run one at
/// a time on a queue of their own; a manual one runs on the asking client's thread. Neither
/// blocks the store writer: the copy reads a WAL snapshot through its own connection.
final class BackupScheduler: @unchecked Sendable {
    // @unchecked: the mutable properties are guarded by `lock`.
    private let queue = DispatchQueue(label: "custsync.backup")
    private let lock = NSLock()
    private var startedAt = Date()
    private var lastError: String?
    private var lastErrorAt: Date?
    private var stopped = false
    /// Misdated backups already logged, so each is logged once, not at every tick.
    private var reportedMisdated: Set<String> = []
    private var configurationSource: (@Sendable () -> Configuration)?
    private var loggerSource: (@Sendable () -> Logger)?

    /// Starts checking whether a scheduled backup is due; without any backup yet, the first is
    /// due one interval after `startedAt`.
    func start(startedAt: Date, configuration: @escaping @Sendable () -> Configuration,
               logger: @escaping @Sendable () -> Logger) {
        lock.withLock {
            self.startedAt = startedAt
            configurationSource = configuration
            loggerSource = logger
        }
        queue.async { [self] in
            BackupCatalog.removeLeftovers(in: configuration().daemon.backupDirectory)
            tick()
        }
    }

    private var logger: Logger? { lock.withLock { loggerSource }?() }

    /// No scheduled backup starts after this; one in progress may finish (and be pruned and
    /// copied) until `deadline`, after which it is abandoned with the process (its `.partial`
    /// file is removed at the next start).
    func stop(until deadline: Date) {
        lock.withLock { stopped = true }
        let drained = DispatchSemaphore(value: 0)
        queue.async { drained.signal() }
        _ = drained.wait(timeout: .now() + max(0, deadline.timeIntervalSinceNow))
    }

    private func tick() {
        dispatchPrecondition(condition: .onQueue(queue))
        guard let source = lock.withLock({ stopped ? nil : configurationSource }) else { return }
        let current = source()
        let interval = current.backup.interval
        reportMisdated(in: current.daemon.backupDirectory)
        if interval > 0, let due = nextDue(current), due <= Date() {
            do {
                _ = try backup(kind: .scheduled, to: nil, configuration: current)
            } catch {
                lock.withLock { lastError = "\(error)"; lastErrorAt = Date() }
                logger?.error("backup.failed", [("kind", "scheduled"), ("error", "\(error)")])
            }
        }
        // Check often enough for short test intervals, rarely for the usual daily one.
        let pause = interval > 0 ? min(max(interval / 10, 1), 60) : 60
        queue.asyncAfter(deadline: .now() + pause) { [self] in tick() }
    }

    /// Logs each backup whose name is dated in the future (made while the clock ran ahead):
    /// the schedule and retention pass it by, so a person should look at it.
    private func reportMisdated(in directory: String) {
        let now = Date()
        for entry in (try? BackupCatalog.misdated(in: directory, now: now)) ?? []
        where lock.withLock({ reportedMisdated.insert(entry.path).inserted }) {
            logger?.warning("backup.misdated", [("path", entry.path), ("named", ISO8601.string(entry.createdAt)),
                                                ("now", ISO8601.string(now)),
                                                ("effect", "ignored by the schedule and by BackupKeep=; remove it by hand once not needed")])
        }
    }

    /// When the next scheduled backup is due: one interval after the newest scheduled backup
    /// (or after the daemon started, when there is none yet); after a failure, a retry within
    /// five minutes at the latest. A backup named in the future does not count: made while the
    /// clock ran ahead, it would hold back every backup until that date.
    func nextDue(_ configuration: Configuration) -> Date? {
        let interval = configuration.backup.interval
        guard interval > 0 else { return nil }
        let now = Date()
        let newest = (try? BackupCatalog.list(directory: configuration.daemon.backupDirectory, location: "primary", now: now))?
            .first { $0.kind == BackupCatalog.Kind.scheduled.rawValue && $0.createdAt <= now }?.createdAt
        var due = (newest ?? lock.withLock { startedAt }).addingTimeInterval(interval)
        if let failed = lock.withLock({ lastErrorAt }), failed > (newest ?? .distantPast) {
            due = max(due, failed.addingTimeInterval(min(interval, 300)))
        }
        return due
    }

    /// Makes one backup and checks it. Without `explicit`, it goes to the backup folder (and a
    /// copy to the second folder), and scheduled backups are pruned to `BackupKeep=` after it.
    /// With `explicit` (an absolute path: a new file, or a folder to put a new file in) it goes
    /// only there.
    func backup(kind: BackupCatalog.Kind, to explicit: String?, configuration: Configuration) throws -> BackupResult {
        let started = Date()
        let folder: String
        var fixedName: String?
        if let explicit {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: explicit, isDirectory: &isDirectory), isDirectory.boolValue {
                folder = explicit
            } else if FileManager.default.fileExists(atPath: explicit) {
                throw BackupError("\(explicit) already exists; name a new file or a folder")
            } else {
                folder = ConfigValueParser.directory(of: explicit)
                fixedName = URL(fileURLWithPath: explicit).lastPathComponent
                guard FileManager.default.fileExists(atPath: folder) else {
                    throw BackupError("the folder \(folder) does not exist; create it first")
                }
            }
        } else {
            folder = configuration.daemon.backupDirectory
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
        }

        let path = try Self.freshPath(in: folder, fixedName: fixedName, at: started, kind: kind)
        let bytes = try StoreBackup.write(store: configuration.daemon.store, to: path)
        var result = BackupResult(path: path, bytes: bytes, startedAt: started,
                                  seconds: Date().timeIntervalSince(started), integrity: "ok")
        // Pruned before the copy, so a second folder that keeps failing never lets the first fill up.
        if explicit == nil, kind == .scheduled { try prune(folder, keep: configuration.backup.keep) }
        if explicit == nil, let secondary = configuration.backup.secondaryDirectory {
            do {
                // A missing folder is most likely an unmounted share: never create it on the local disk.
                var isDirectory: ObjCBool = false
                guard FileManager.default.fileExists(atPath: secondary, isDirectory: &isDirectory), isDirectory.boolValue else {
                    throw BackupError("SecondaryDirectory= \(secondary) does not exist (is the share mounted?)")
                }
                let copyPath = try Self.freshPath(in: secondary, fixedName: URL(fileURLWithPath: path).lastPathComponent,
                                                  at: started, kind: kind)
                _ = try StoreBackup.copy(path, to: copyPath)
                result.secondaryPath = copyPath
                if kind == .scheduled { try prune(secondary, keep: configuration.backup.keep) }
            } catch {
                result.secondaryError = "\(error)"
                logger?.error("backup.secondary-failed", [("path", secondary), ("error", "\(error)")])
                if kind == .scheduled { throw BackupError("the copy to the second folder failed: \(error)") }
            }
        }
        if explicit == nil, kind == .scheduled { lock.withLock { lastError = nil; lastErrorAt = nil } }
        result.seconds = Date().timeIntervalSince(started)
        logger?.notice("backup.done", [("kind", kind.rawValue), ("path", path), ("bytes", bytes),
                                       ("seconds", String(format: "%.3f", result.seconds)),
                                       ("copy", result.secondaryPath)])
        return result
    }

    private func prune(_ folder: String, keep: Int) throws {
        for path in try BackupCatalog.prune(directory: folder, keep: keep) {
            logger?.info("backup.pruned", [("path", path)])
        }
    }

    /// A path in `folder` that does not exist yet: `fixedName`, or a catalog name for `at`.
    private static func freshPath(in folder: String, fixedName: String?, at date: Date, kind: BackupCatalog.Kind) throws -> String {
        if let fixedName {
            let path = ConfigValueParser.resolve(fixedName, relativeTo: folder)
            guard !FileManager.default.fileExists(atPath: path) else { throw BackupError("\(path) already exists") }
            return path
        }
        for attempt in 1...100 {
            let path = ConfigValueParser.resolve(BackupCatalog.fileName(at: date, kind: kind, attempt: attempt), relativeTo: folder)
            if !FileManager.default.fileExists(atPath: path) { return path }
        }
        throw BackupError("too many backups named for \(BackupCatalog.stamp(date)) in \(folder)")
    }

    /// The backup part of `status`.
    func status(_ configuration: Configuration) -> BackupStatus {
        var status = BackupStatus(directory: configuration.daemon.backupDirectory,
                                  secondaryDirectory: configuration.backup.secondaryDirectory,
                                  intervalSeconds: configuration.backup.interval, keep: configuration.backup.keep)
        let newest = (try? BackupCatalog.list(directory: configuration.daemon.backupDirectory, location: "primary"))?.first
        status.lastAt = newest?.createdAt
        status.lastPath = newest?.path
        status.nextAt = nextDue(configuration)
        lock.withLock {
            status.lastError = lastError
            status.lastErrorAt = lastErrorAt
        }
        return status
    }
}
