import Glibc

/// A failure of the store, carrying SQLite's own result code and message so a person can act on it.
public enum StoreError: Error, CustomStringConvertible, Sendable, Equatable {
    /// SQLite returned an error code; `systemErrno` is the errno of the system call that failed
    /// under it (0 when none did), which tells a full disk from a read-only or failing one.
    case sqlite(code: Int32, message: String, sql: String?, systemErrno: Int32 = 0)
    /// The file is not a custsync store (another application's database, or not SQLite at all).
    case notACustSyncStore(path: String, detail: String)
    /// The store was written by a newer custsync; opening it could destroy data.
    case newerSchema(path: String, found: Int, supported: Int)
    /// SQLite's own check found damaged pages or b-trees in the file.
    case damaged(path: String, problems: [String])
    /// An invariant the engine relies on does not hold.
    case inconsistent(String)

    public var description: String {
        switch self {
        case let .sqlite(code, message, sql, systemErrno):
            let cause = systemErrno == 0 ? "" : " [\(String(cString: strerror(systemErrno)))]"
            let statement = sql.map { " in `\($0.prefix(120))`" } ?? ""
            return "SQLite error \(code) (\(Self.hint(code))): \(message)\(cause)\(statement)"
        case let .notACustSyncStore(path, detail):
            return "\(path) is not a custsync store (\(detail)); refusing to touch it. "
                + "Point Store= at the right file, or restore one with `syncctl backups` / docs/RESTORE.md."
        case let .newerSchema(path, found, supported):
            return "\(path) has schema version \(found) but this custsyncd supports up to \(supported); "
                + "run the newer custsyncd or restore a backup made by this version."
        case let .damaged(path, problems):
            return "\(path) is damaged (SQLite found \(problems.count) problem(s), the first: \(problems.first ?? "?")); "
                + "refusing to start on it. Restore a backup: `syncctl backups` lists them, "
                + "`custsyncd --restore latest` puts the newest in place (see docs/RESTORE.md)."
        case let .inconsistent(detail):
            return "store is inconsistent: \(detail); run `syncctl verify`."
        }
    }

    /// SQLite's primary result code, for callers that react to e.g. a full disk.
    public var primaryCode: Int32? {
        if case let .sqlite(code, _, _, _) = self { return code & 0xff }
        return nil
    }

    private static func hint(_ code: Int32) -> String {
        switch code & 0xff {
        case 5: return "busy"
        case 8: return "read-only"
        case 10: return "I/O error"
        case 11: return "corrupt"
        case 13: return "disk full"
        case 14: return "cannot open"
        case 19: return "constraint"
        case 26: return "not a database"
        default: return "code \(code & 0xff)"
        }
    }
}
