import Foundation

/// Filtered reads of the journal, for `syncctl journal` and its `--follow`.
public struct JournalQueries {
    public let connection: SQLiteConnection

    public init(connection: SQLiteConnection) {
        self.connection = connection
    }

    /// One page of matching entries, oldest first.
    ///
    /// With neither `afterSeq` nor `since`, the newest `limit` matching entries. `next` is where
    /// the following page starts (`afterSeq` for it): past everything this page looked at, so a
    /// follower never rescans nor misses entries that do not match the filter. Everything is
    /// read in one snapshot, so `next` and the entries agree even while the writer commits.
    public func page(_ filter: JournalFilter, limit: Int) throws -> (entries: [JournalEntry], next: Int64, head: Int64) {
        try connection.execute("BEGIN")
        defer { try? connection.execute("COMMIT") }
        let head = try connection.scalarInt("SELECT coalesce(max(seq), 0) FROM journal") ?? 0
        var conditions: [String] = []
        var values: [SQLBindable] = []
        if let customer = filter.customer { conditions.append("customer_code = ?"); values.append(customer) }
        if let source = filter.source { conditions.append("source = ?"); values.append(source) }
        if let kind = filter.kind {
            if kind.hasSuffix(".*") || kind.hasSuffix(".") {
                let prefix = kind.hasSuffix(".*") ? String(kind.dropLast()) : kind
                conditions.append("kind LIKE ? ESCAPE '\\'")
                values.append(CustomerQueries.escapeLike(prefix) + "%")
            } else {
                conditions.append("kind = ?")
                values.append(kind)
            }
        }
        let select = "SELECT seq, at, source, kind, customer_code, before, after FROM journal"
        if filter.afterSeq == nil && filter.since == nil {
            let whereClause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
            let entries = try connection.statement("\(select) \(whereClause) ORDER BY seq DESC LIMIT ?")
                .rows(values + [limit]).map(StoreReader.entry).reversed()
            return (Array(entries), head, head)
        }
        if let after = filter.afterSeq {
            conditions.insert("seq > ?", at: 0)
            values.insert(after, at: 0)
        } else if let since = filter.since {
            conditions.insert("at >= ?", at: 0)
            values.insert(since, at: 0)
        }
        let entries = try connection.statement("\(select) WHERE \(conditions.joined(separator: " AND ")) ORDER BY seq LIMIT ?")
            .rows(values + [limit]).map(StoreReader.entry)
        let next = entries.count == limit ? (entries.last?.seq ?? head) : max(head, filter.afterSeq ?? 0)
        return (entries, next, head)
    }
}
