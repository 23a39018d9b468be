import Foundation

/// Read-side queries over the `conflicts` table (the review queue of undecided values and
/// merge candidates).
public struct ConflictQueries {
    public let connection: SQLiteConnection

    public init(connection: SQLiteConnection) {
        self.connection = connection
    }

    /// Conflicts by id, at most `limit`, after id `after`; `status` nil or `all` lists every status.
    public func list(status: String? = "open", customer: String? = nil, kind: String? = nil,
                     after: Int64? = nil, limit: Int = 50) throws -> (conflicts: [ConflictView], more: Bool) {
        var conditions: [String] = []
        var values: [SQLBindable] = []
        if let status, status != "all" { conditions.append("status = ?"); values.append(status) }
        if let customer { conditions.append("(customer_code = ? OR other_code = ?)"); values += [customer, customer] }
        if let kind { conditions.append("kind = ?"); values.append(kind) }
        if let after { conditions.append("id > ?"); values.append(after) }
        let whereClause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        let rows = try connection.statement("""
            SELECT \(Self.columns) FROM conflicts \(whereClause) ORDER BY id LIMIT ?
            """).rows(values + [limit + 1])
        return (rows.prefix(limit).map(Self.view), rows.count > limit)
    }

    public func conflict(id: Int64) throws -> ConflictView? {
        try connection.statement("SELECT \(Self.columns) FROM conflicts WHERE id = ?").first([id]).map(Self.view)
    }

    static let columns = "id, kind, customer_code, field, other_code, current_value, candidates, reason, opened_at, status, resolved_at, resolution"

    static func view(_ row: Row) -> ConflictView {
        var view = ConflictView(id: row.int(0) ?? 0, kind: row.string(1) ?? "", customer: row.string(2) ?? "",
                                candidates: row.string(6) ?? "[]", reason: row.string(7) ?? "",
                                openedAt: row.date(8) ?? Date(timeIntervalSince1970: 0), status: row.string(9) ?? "")
        view.field = row.string(3)
        view.other = row.string(4)
        view.currentValue = row.string(5)
        view.resolvedAt = row.date(10)
        view.resolution = row.string(11)
        return view
    }
}
