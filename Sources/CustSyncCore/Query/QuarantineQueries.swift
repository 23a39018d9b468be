import Foundation

/// Read-side queries over the quarantine (input a connector delivered but the engine rejected).
public struct QuarantineQueries {
    public let connection: SQLiteConnection

    public init(connection: SQLiteConnection) {
        self.connection = connection
    }

    /// Entries by id without their raw input, at most `limit`, after id `after`; `status` nil
    /// or `all` lists every status.
    public func list(status: String? = "open", source: String? = nil, after: Int64? = nil,
                     limit: Int = 50) throws -> (entries: [QuarantineEntry], more: Bool) {
        var conditions: [String] = []
        var values: [SQLBindable] = []
        if let status, status != "all" { conditions.append("status = ?"); values.append(status) }
        if let source { conditions.append("source = ?"); values.append(source) }
        if let after { conditions.append("id > ?"); values.append(after) }
        let whereClause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        let rows = try connection.statement("""
            SELECT id, source, origin, reason, NULL, at, status, NULL FROM quarantine \(whereClause) ORDER BY id LIMIT ?
            """).rows(values + [limit + 1])
        return (rows.prefix(limit).map(Self.entry), rows.count > limit)
    }

    /// One entry with its raw input (and its columns, for a CSV row).
    public func entry(id: Int64) throws -> QuarantineEntry? {
        try connection.statement("SELECT id, source, origin, reason, raw, at, status, raw_columns FROM quarantine WHERE id = ?")
            .first([id]).map(Self.entry)
    }

    static func entry(_ row: Row) -> QuarantineEntry {
        QuarantineEntry(id: row.int(0) ?? 0, source: row.string(1) ?? "", origin: row.string(2) ?? "",
                        reason: row.string(3) ?? "", raw: row.string(4), at: row.date(5) ?? Date(timeIntervalSince1970: 0),
                        status: row.string(6) ?? "",
                        columns: row.string(7).flatMap { try? JSONDecoder().decode([RawColumn].self, from: Data($0.utf8)) })
    }
}
