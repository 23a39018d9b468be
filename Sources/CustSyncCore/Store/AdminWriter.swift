import Foundation

/// The writes that come from people rather than connectors: `admin.action` journal entries and
/// quarantine status changes. Use it only inside `StoreWriter.perform`, on the engine's
/// connection, so these writes take their turn with the batches and the journal stays gapless.
public struct AdminWriter {
    public let connection: SQLiteConnection
    private let now: Date

    public init(connection: SQLiteConnection, now: Date = Date()) {
        self.connection = connection
        self.now = now
    }

    /// Journals `action` as `admin.action` (source `syncctl`) and returns its sequence number.
    @discardableResult
    public func journal(_ action: AdminAction, customer: String? = nil) throws -> Int64 {
        let encoder = ControlJSON.encoder()
        let after = String(decoding: try encoder.encode(action), as: UTF8.self)
        return try connection.transaction {
            try JournalWriter(connection: connection).append(.adminAction, source: "syncctl", customer: customer, at: now, after: after)
        }
    }

    /// Marks an open quarantine entry `retrying`; false when it is not open (any more).
    public func markRetrying(id: Int64) throws -> Bool {
        try connection.transaction {
            try connection.statement("UPDATE quarantine SET status = 'retrying' WHERE id = ? AND status = 'open'").run([id])
            return connection.changes == 1
        }
    }

    /// Marks an open or retrying quarantine entry `dismissed`; false when it is neither.
    public func dismiss(id: Int64) throws -> Bool {
        try connection.transaction {
            try connection.statement("UPDATE quarantine SET status = 'dismissed' WHERE id = ? AND status IN ('open', 'retrying')").run([id])
            return connection.changes == 1
        }
    }

    /// The `retrying` entries of `source`, for a connector that (re)starts.
    public func retrying(source: String) throws -> [Int64] {
        try connection.statement("SELECT id FROM quarantine WHERE source = ? AND status = 'retrying' ORDER BY id")
            .rows([source]).compactMap { $0.int(0) }
    }

    /// Settles retries after a successful poll of `source` that started at `pollStarted`:
    /// an entry whose origin that poll rejected again becomes `superseded` (the new entry is
    /// open), every other one `closed`.
    ///
    /// - Returns: the ids closed and superseded.
    public func settleRetries(ids: [Int64], source: String, pollStarted: Date) throws -> (closed: [Int64], superseded: [Int64]) {
        guard !ids.isEmpty else { return ([], []) }
        return try connection.transaction {
            var closed: [Int64] = [], superseded: [Int64] = []
            for id in ids {
                let again = try connection.scalarInt("""
                    SELECT count(*) FROM quarantine q, quarantine old
                    WHERE old.id = ? AND q.source = old.source AND q.origin = old.origin AND q.id > old.id AND q.at >= ?
                    """, [id, pollStarted]) ?? 0
                let status = again > 0 ? "superseded" : "closed"
                try connection.statement("UPDATE quarantine SET status = ? WHERE id = ? AND source = ? AND status = 'retrying'")
                    .run([status, id, source])
                if connection.changes == 1 {
                    if again > 0 { superseded.append(id) } else { closed.append(id) }
                }
            }
            return (closed, superseded)
        }
    }
}
