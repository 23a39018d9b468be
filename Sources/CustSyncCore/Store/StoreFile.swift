import CSQLite
import Glibc

/// Opens the store file for the writer: checks it is a custsync store of a version this build
/// understands, switches it to WAL, and migrates it forward. Nothing is written to a file that
/// fails those checks.
public enum StoreFile {
    public static func openForWriting(path: String) throws(StoreError) -> SQLiteConnection {
        let connection = try SQLiteConnection(path: path, mode: .readWrite)
        try checkIdentity(connection)
        try connection.execute("PRAGMA journal_mode=WAL")
        try connection.execute("PRAGMA synchronous=NORMAL")
        try connection.execute("PRAGMA foreign_keys=OFF")
        // 32 MiB of page cache holds the upper levels of every index and the leaves touched
        // lately; RSS stays well under 100 MB. In a store of a million customers a lookup still
        // reads about one leaf from the OS's page cache (`make eval` counts the misses).
        try connection.execute("PRAGMA cache_size=-32768")
        try migrate(connection)
        return connection
    }

    /// Refuses a store file that SQLite finds damaged (`PRAGMA quick_check`), before the writer
    /// opens it; a missing file is fine (the writer creates it). The daemon runs this at start:
    /// a page damaged while it was stopped is found then, not at the first batch that touches it.
    public static func checkSound(path: String) throws(StoreError) {
        guard access(path, F_OK) == 0 else { return }
        let connection = try openForReading(path: path)
        let problems: [String]
        do {
            problems = try connection.integrityProblems(quick: true)
        } catch where error.primaryCode == SQLITE_CORRUPT || error.primaryCode == SQLITE_NOTADB {
            throw .damaged(path: path, problems: ["\(error)"])
        }
        guard problems.isEmpty else { throw .damaged(path: path, problems: problems) }
    }

    /// A read-only connection for queries (status, syncctl); never migrates.
    public static func openForReading(path: String) throws(StoreError) -> SQLiteConnection {
        let connection = try SQLiteConnection(path: path, mode: .readOnly)
        try checkIdentity(connection)
        return connection
    }

    static func checkIdentity(_ connection: SQLiteConnection) throws(StoreError) {
        let version: Int64
        let application: Int64
        let tables: Int64
        do {
            version = try connection.scalarInt("PRAGMA user_version") ?? 0
            application = try connection.scalarInt("PRAGMA application_id") ?? 0
            tables = try connection.scalarInt("SELECT count(*) FROM sqlite_master") ?? 0
        } catch {
            if error.primaryCode == SQLITE_NOTADB || error.primaryCode == SQLITE_CORRUPT {
                throw .notACustSyncStore(path: connection.path, detail: "\(error)")
            }
            throw error
        }
        if application != Int64(Schema.applicationID) && (tables > 0 || version > 0) {
            throw .notACustSyncStore(path: connection.path,
                                     detail: "it holds \(tables) other schema objects and application_id \(application)")
        }
        if version > Int64(Schema.currentVersion) {
            throw .newerSchema(path: connection.path, found: Int(version), supported: Schema.currentVersion)
        }
    }

    static func migrate(_ connection: SQLiteConnection) throws(StoreError) {
        let current = Int(try connection.scalarInt("PRAGMA user_version") ?? 0)
        for migration in Schema.migrations where migration.version > current {
            do {
                try connection.transaction {
                    try connection.execute(migration.sql)
                    try connection.execute("PRAGMA application_id=\(Schema.applicationID)")
                    try connection.execute("PRAGMA user_version=\(migration.version)")
                }
            } catch let error as StoreError {
                throw error
            } catch {
                throw .inconsistent("migration \(migration.version) failed: \(error)")
            }
        }
    }
}
