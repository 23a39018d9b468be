import Foundation

/// Read-only queries over the store, on a connection of their own (WAL lets them run while
/// the writer commits). One reader per thread; cheap to open.
public final class StoreReader {
    public let connection: SQLiteConnection

    public init(path: String) throws(StoreError) {
        connection = try StoreFile.openForReading(path: path)
    }

    public func counts() throws(StoreError) -> StoreCounts {
        var counts = StoreCounts()
        counts.customers = try connection.scalarInt("SELECT count(*) FROM customers WHERE merged_into IS NULL") ?? 0
        counts.mergedCustomers = try connection.scalarInt("SELECT count(*) FROM customers WHERE merged_into IS NOT NULL") ?? 0
        counts.interactions = try connection.scalarInt("SELECT count(*) FROM interactions") ?? 0
        counts.identifiers = try connection.scalarInt("SELECT count(*) FROM identifiers") ?? 0
        counts.openConflicts = try connection.scalarInt("SELECT count(*) FROM conflicts WHERE status = 'open'") ?? 0
        counts.quarantined = try connection.scalarInt("SELECT count(*) FROM quarantine WHERE status = 'open'") ?? 0
        counts.quarantineRetrying = try connection.scalarInt("SELECT count(*) FROM quarantine WHERE status = 'retrying'") ?? 0
        counts.journalHead = try connection.scalarInt("SELECT coalesce(max(seq), 0) FROM journal") ?? 0
        return counts
    }

    /// Fills the persisted half of `status` (cursor, counters, last success and error).
    public func fill(_ status: inout ConnectorStatus) throws(StoreError) {
        guard let row = try connection.statement("""
            SELECT cursor, last_success, last_error, last_error_at, newest_record,
                   records_in, applied, unchanged, rejected, skipped
            FROM connector_state WHERE name = ?
            """).first([status.name]) else { return }
        status.cursor = row.string(0)
        status.lastSuccess = row.date(1)
        status.lastError = row.string(2)
        status.lastErrorAt = row.date(3)
        status.newestRecord = row.date(4).flatMap { $0.timeIntervalSince1970 > 0 ? $0 : nil }
        status.recordsIn = row.int(5) ?? 0
        status.applied = row.int(6) ?? 0
        status.unchanged = row.int(7) ?? 0
        status.rejected = row.int(8) ?? 0
        status.skipped = row.int(9) ?? 0
    }

    /// Journal entries after `since`, oldest first, at most `limit`.
    public func journal(after since: Int64, limit: Int) throws(StoreError) -> [JournalEntry] {
        try connection.statement("""
            SELECT seq, at, source, kind, customer_code, before, after FROM journal
            WHERE seq > ? ORDER BY seq LIMIT ?
            """).rows([since, limit]).map(Self.entry)
    }

    /// The newest `limit` entries, oldest first.
    public func journalTail(limit: Int) throws(StoreError) -> [JournalEntry] {
        try connection.statement("""
            SELECT seq, at, source, kind, customer_code, before, after FROM journal
            ORDER BY seq DESC LIMIT ?
            """).rows([limit]).map(Self.entry).reversed()
    }

    static func entry(_ row: Row) -> JournalEntry {
        JournalEntry(seq: row.int(0) ?? 0, at: row.date(1) ?? Date(timeIntervalSince1970: 0),
                     source: row.string(2) ?? "", kind: row.string(3) ?? "", customerCode: row.string(4),
                     before: row.string(5), after: row.string(6))
    }
}
