import CSQLite
import Foundation
import Glibc

/// One SQLite connection. It owns the `sqlite3` handle and closes it in `deinit`, after the
/// statements it cached. Not thread-safe by design: the store writer owns one, each reader its own.
public final class SQLiteConnection {
    public enum Mode: Sendable { case readWrite, readOnly }

    let handle: OpaquePointer
    public let path: String
    private var cache: [String: Statement] = [:]
    private var literalCache: [UnsafeRawPointer: Statement] = [:]

    /// Process-wide settings SQLite takes only before its first connection opens.
    private static let configured: Void = { _ = csqlite_disable_memory_statistics() }()

    /// Opens (and for `.readWrite` creates) the database at `path`.
    public init(path: String, mode: Mode) throws(StoreError) {
        Self.configured
        var db: OpaquePointer?
        let flags = (mode == .readOnly ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE))
            | SQLITE_OPEN_NOMUTEX
        let rc = sqlite3_open_v2(path, &db, flags, nil)
        guard rc == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            let systemErrno = db.map { sqlite3_system_errno($0) } ?? 0
            sqlite3_close_v2(db)
            throw StoreError.sqlite(code: rc, message: "\(message) (\(path))", sql: nil, systemErrno: systemErrno)
        }
        // SQLite quietly falls back to read-only when it cannot open the file for writing; the
        // writer must know at once, not at its first commit.
        if mode == .readWrite && sqlite3_db_readonly(db, "main") == 1 {
            let systemErrno = access(path, W_OK) == 0 ? 0 : errno
            sqlite3_close_v2(db)
            throw StoreError.sqlite(code: SQLITE_READONLY, message: "\(path) can only be opened read-only", sql: nil,
                                    systemErrno: systemErrno)
        }
        self.handle = db
        self.path = path
        sqlite3_extended_result_codes(db, 1)
        sqlite3_busy_timeout(db, 5000)
    }

    deinit {
        cache.removeAll()
        literalCache.removeAll()
        sqlite3_close_v2(handle)
    }

    func error(_ rc: Int32, sql: String?) -> StoreError {
        .sqlite(code: rc, message: String(cString: sqlite3_errmsg(handle)), sql: sql, systemErrno: sqlite3_system_errno(handle))
    }

    /// Runs one or more statements that return nothing (schema, pragmas).
    public func execute(_ sql: String) throws(StoreError) {
        var message: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(handle, sql, nil, nil, &message)
        if rc != SQLITE_OK {
            let text = message.map { String(cString: $0) } ?? String(cString: sqlite3_errmsg(handle))
            sqlite3_free(message)
            throw StoreError.sqlite(code: rc, message: text, sql: sql, systemErrno: sqlite3_system_errno(handle))
        }
    }

    /// The prepared statement for `sql`, prepared on first use and reused after.
    public func statement(_ sql: String) throws(StoreError) -> Statement {
        if let cached = cache[sql] { return cached }
        let statement = try Statement(connection: self, sql: sql)
        cache[sql] = statement
        return statement
    }

    /// The prepared statement for a literal `sql`, cached by the literal's address: the hot path
    /// prepares once and then never hashes the SQL text again.
    public func prepared(_ sql: StaticString) throws(StoreError) -> Statement {
        let key = UnsafeRawPointer(sql.utf8Start)
        if let cached = literalCache[key] { return cached }
        let text = sql.withUTF8Buffer { String(decoding: $0, as: UTF8.self) }
        let statement = try Statement(connection: self, sql: text)
        literalCache[key] = statement
        return statement
    }

    /// Runs `body` inside `BEGIN IMMEDIATE … COMMIT`; any error rolls everything back.
    public func transaction<T>(_ body: () throws -> T) throws -> T {
        try execute("BEGIN IMMEDIATE")
        do {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }

    public func scalarInt(_ sql: String, _ values: [SQLBindable] = []) throws(StoreError) -> Int64? {
        try statement(sql).first(values)?.int(0)
    }

    public var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }
    public var changes: Int { Int(sqlite3_changes(handle)) }

    /// Pages this connection has needed that its page cache did not hold (read from the WAL or
    /// the file), since it opened.
    public var pageCacheMisses: Int {
        var current: Int32 = 0, highest: Int32 = 0
        sqlite3_db_status(handle, SQLITE_DBSTATUS_CACHE_MISS, &current, &highest, 0)
        return Int(current)
    }

    /// Copies the whole database to `destination` with the online backup API, page by page,
    /// so the writer is never blocked for long.
    public func backup(to destination: String) throws(StoreError) {
        let target = try SQLiteConnection(path: destination, mode: .readWrite)
        guard let backup = sqlite3_backup_init(target.handle, "main", handle, "main") else {
            throw target.error(sqlite3_errcode(target.handle), sql: nil)
        }
        var rc: Int32
        repeat {
            rc = sqlite3_backup_step(backup, 256)
            if rc == SQLITE_BUSY || rc == SQLITE_LOCKED { sqlite3_sleep(20) }
        } while rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED
        sqlite3_backup_finish(backup)
        guard rc == SQLITE_DONE else { throw target.error(rc, sql: nil) }
    }

    /// `PRAGMA integrity_check` (or the faster `quick_check`, which reads every page and b-tree
    /// but does not match indexes against their tables): empty when the file is sound, else
    /// SQLite's findings.
    public func integrityProblems(quick: Bool = false) throws(StoreError) -> [String] {
        let rows = try statement(quick ? "PRAGMA quick_check" : "PRAGMA integrity_check").rows()
        let messages = rows.compactMap { $0.string(0) }
        return messages == ["ok"] ? [] : messages
    }
}
