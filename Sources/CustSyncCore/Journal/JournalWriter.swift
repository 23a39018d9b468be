import Foundation

/// Appends to the journal inside the writer's transaction. `seq` is the table's integer key,
/// which SQLite assigns as max+1; with one writer and no deletes (a trigger forbids them) it is
/// gapless, and a rolled-back batch leaves no hole.
struct JournalWriter {
    let connection: SQLiteConnection

    @discardableResult
    func append(_ kind: JournalKind, source: String, customer: String?, at: Date,
                before: String? = nil, after: String? = nil) throws(StoreError) -> Int64 {
        try connection.prepared(
            "INSERT INTO journal(at, source, kind, customer_code, before, after) VALUES (?,?,?,?,?,?)"
        ).run([at, source, kind.rawValue, customer, before, after])
        return connection.lastInsertRowID
    }
}
