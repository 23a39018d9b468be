import Foundation
import Glibc

/// The backup folders: how backup files are named, listed and pruned.
///
/// Names carry their time in UTC and their kind: `store-20261122T220506Z.db` (scheduled) and
/// `store-20261122T220506Z-manual.db` (`syncctl backup`), with `-2`, `-3` … when two are made
/// in the same second. Only files named so are listed or ever removed.
///
/// The name is the only record of when a backup was made, and it is only as right as the clock
/// was then. A name dated after now was given while the clock ran ahead: such a backup is
/// *misdated*. Its real place among the others is unknown, so it is listed last, sets no
/// schedule, takes no place among the newest `BackupKeep=` and is never pruned; it is logged
/// for a person to look at.
public enum BackupCatalog {
    public enum Kind: String, Sendable { case scheduled, manual }

    public static func fileName(at date: Date, kind: Kind, attempt: Int = 1) -> String {
        var name = "store-" + stamp(date)
        if kind == .manual { name += "-manual" }
        if attempt > 1 { name += "-\(attempt)" }
        return name + ".db"
    }

    /// `20261122T220506Z`, the UTC time in ISO 8601 basic format.
    public static func stamp(_ date: Date) -> String {
        var time = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&time, &parts)
        return String(format: "%04d%02d%02dT%02d%02d%02dZ", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1,
                      Int(parts.tm_mday), Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec))
    }

    /// The time, kind and attempt (1 without a number) a backup file name carries, or nil for
    /// any other name.
    public static func parse(_ name: String) -> (date: Date, kind: Kind, attempt: Int)? {
        guard name.hasPrefix("store-"), name.hasSuffix(".db") else { return nil }
        let middle = name.dropFirst("store-".count).dropLast(".db".count)
        let stampText = middle.prefix(16)
        var rest = middle.dropFirst(16)
        let digits = Array(stampText.utf8)
        guard digits.count == 16, digits[8] == UInt8(ascii: "T"), digits[15] == UInt8(ascii: "Z"),
              (digits[0..<8] + digits[9..<15]).allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
        var kind = Kind.scheduled
        if rest.hasPrefix("-manual") { kind = .manual; rest = rest.dropFirst("-manual".count) }
        var attempt = 1
        if !rest.isEmpty {
            guard rest.hasPrefix("-"), rest.count > 1, rest.dropFirst().allSatisfy(\.isNumber) else { return nil }
            attempt = Int(rest.dropFirst()) ?? Int.max
        }
        func number(_ range: Range<Int>) -> Int32 { Int32(String(decoding: digits[range], as: UTF8.self)) ?? 0 }
        var parts = tm()
        parts.tm_year = number(0..<4) - 1900
        parts.tm_mon = number(4..<6) - 1
        parts.tm_mday = number(6..<8)
        parts.tm_hour = number(9..<11)
        parts.tm_min = number(11..<13)
        parts.tm_sec = number(13..<15)
        let seconds = timegm(&parts)
        guard seconds >= 0 else { return nil }
        return (Date(timeIntervalSince1970: TimeInterval(seconds)), kind, attempt)
    }

    /// Whether `a` comes before `b` newest first: by the time in the name, then the attempt
    /// number (`-2` was made after the unnumbered name of its second, though it sorts before it
    /// as text); misdated backups after all others.
    static func isNewer(_ a: BackupEntry, than b: BackupEntry, now: Date) -> Bool {
        func key(_ entry: BackupEntry) -> (Int, Date, Int, String) {
            (entry.createdAt > now ? 0 : 1, entry.createdAt, parse(entry.name)?.attempt ?? 1, entry.name)
        }
        return key(a) > key(b)
    }

    /// The backups in `directory`, newest first (misdated ones last).
    public static func list(directory: String, location: String, now: Date = Date()) throws -> [BackupEntry] {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory)
        return names.compactMap { name -> BackupEntry? in
            guard let (date, kind, _) = parse(name) else { return nil }
            let path = ConfigValueParser.resolve(name, relativeTo: directory)
            var info = stat()
            guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
            return BackupEntry(path: path, name: name, location: location, kind: kind.rawValue,
                               bytes: Int64(info.st_size), createdAt: date)
        }.sorted { isNewer($0, than: $1, now: now) }
    }

    /// The backups in `directory` whose names are dated after `now`.
    public static func misdated(in directory: String, now: Date = Date()) throws -> [BackupEntry] {
        try list(directory: directory, location: "", now: now).filter { $0.createdAt > now }
    }

    /// Both folders of a configuration, for `syncctl backups` (in the daemon, or offline).
    public static func list(_ configuration: Configuration, now: Date = Date()) -> BackupList {
        var backups: [BackupEntry] = []
        var problems: [String] = []
        let folders = [(configuration.daemon.backupDirectory, "primary")]
            + (configuration.backup.secondaryDirectory.map { [($0, "secondary")] } ?? [])
        for (directory, location) in folders {
            do {
                backups += try list(directory: directory, location: location, now: now)
            } catch {
                if FileManager.default.fileExists(atPath: directory) {
                    problems.append("cannot list \(directory) (\(location)): check its permissions")
                } else {
                    problems.append("\(directory) (\(location)) does not exist yet: no backup has been made there")
                }
            }
        }
        backups.sort {
            isNewer($0, than: $1, now: now) || (!isNewer($1, than: $0, now: now) && $0.location == "primary" && $1.location != "primary")
        }
        return BackupList(directory: configuration.daemon.backupDirectory,
                          secondaryDirectory: configuration.backup.secondaryDirectory, backups: backups, problems: problems)
    }

    /// Removes scheduled backups beyond the newest `keep` in `directory`; manual and misdated
    /// ones stay (a misdated one cannot be told to be older than those kept).
    /// - Returns: the paths removed.
    @discardableResult
    public static func prune(directory: String, keep: Int, now: Date = Date()) throws -> [String] {
        let scheduled = try list(directory: directory, location: "", now: now)
            .filter { $0.kind == Kind.scheduled.rawValue && $0.createdAt <= now }
        var removed: [String] = []
        for entry in scheduled.dropFirst(max(keep, 1)) where unlink(entry.path) == 0 {
            removed.append(entry.path)
        }
        return removed
    }

    /// Removes `.partial` files a crash left in `directory`.
    public static func removeLeftovers(in directory: String) {
        for name in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        where name.hasPrefix(".store-") && (name.hasSuffix(".partial") || name.hasSuffix(".partial-journal")) {
            unlink(ConfigValueParser.resolve(name, relativeTo: directory))
        }
    }
}
