import Foundation

/// Checks a store: `PRAGMA integrity_check`, then the invariants custsync relies on. Runs on a
/// read-only connection inside one snapshot, so it is safe while the daemon writes.
public struct StoreVerifier {
    public let connection: SQLiteConnection

    public init(connection: SQLiteConnection) {
        self.connection = connection
    }

    public func run(now: Date = Date()) throws -> VerifyReport {
        var checks: [VerifyReport.Check] = []
        checks.append(.init(name: "integrity", description: "SQLite's integrity check finds nothing wrong",
                            problems: try connection.integrityProblems()))
        // The invariants read many tables; a damaged file can fail them with an error, which is
        // a finding too, not a reason to stop.
        func check(_ name: String, _ description: String, _ body: () throws -> (problems: [String], total: Int?)) {
            do {
                let (problems, total) = try body()
                checks.append(.init(name: name, description: description, problems: problems, total: total))
            } catch {
                checks.append(.init(name: name, description: description, problems: ["could not be checked: \(error)"]))
            }
        }
        try connection.execute("BEGIN")
        defer { try? connection.execute("COMMIT") }
        check("journal-gapless", "the journal runs from 1 to its head without gaps") { try journalGaps() }
        // An identifier may stay on a merged (alias) code — `split` needs that — as long as the
        // alias resolves to a live survivor; the "merges" check below guards that part.
        check("identifiers-live", "every identifier points at a live customer (directly or through an alias)") {
            try listed("""
                SELECT i.kind || ' ' || i.value || ' → ' || i.customer_code ||
                       CASE WHEN c.code IS NULL THEN ' (no such customer)' ELSE ' (alias of ' || c.merged_into || ', which is gone)' END
                FROM identifiers i LEFT JOIN customers c ON c.code = i.customer_code
                LEFT JOIN customers s ON s.code = c.merged_into
                WHERE c.code IS NULL OR (c.merged_into IS NOT NULL AND (s.code IS NULL OR s.merged_into IS NOT NULL))
                """)
        }
        check("merges", "merged customers point at live survivors") {
            try listed("""
                SELECT c.code || ' merged into ' || c.merged_into ||
                       CASE WHEN s.code IS NULL THEN ' (no such customer)' ELSE ' (itself merged into ' || s.merged_into || ')' END
                FROM customers c LEFT JOIN customers s ON s.code = c.merged_into
                WHERE c.merged_into IS NOT NULL AND (s.code IS NULL OR s.merged_into IS NOT NULL)
                """)
        }
        check("references", "rows of other tables belong to existing customers") {
            try listed("""
                SELECT 'interaction ' || source || ':' || source_key || ' → ' || customer_code FROM interactions
                    WHERE customer_code NOT IN (SELECT code FROM customers)
                UNION ALL SELECT 'field value ' || field || ' from ' || source || ' → ' || customer_code FROM field_values
                    WHERE customer_code NOT IN (SELECT code FROM customers)
                UNION ALL SELECT 'tag ' || tag || ' → ' || customer_code FROM tags
                    WHERE customer_code NOT IN (SELECT code FROM customers)
                UNION ALL SELECT 'applied record ' || source || ':' || source_key || ' → ' || customer_code FROM applied_records
                    WHERE customer_code NOT IN (SELECT code FROM customers)
                """)
        }
        check("current-values", "at most one current value per customer and field") {
            try listed("""
                SELECT customer_code || ' ' || field || ' has ' || count(*) || ' current values'
                FROM field_values WHERE chosen_by IS NOT NULL GROUP BY customer_code, field HAVING count(*) > 1
                """)
        }
        check("cursors", "connector counters add up; sources have their state") {
            try listed("""
                SELECT name || ': records_in ' || records_in || ' ≠ applied ' || applied || ' + unchanged ' || unchanged ||
                       ' + rejected ' || rejected || ' + skipped ' || skipped
                FROM connector_state WHERE records_in != applied + unchanged + rejected + skipped
                UNION ALL SELECT name || ': a counter is negative' FROM connector_state
                    WHERE min(records_in, applied, unchanged, rejected, skipped) < 0
                UNION ALL SELECT DISTINCT 'source ' || source || ' committed records but has no connector state'
                    FROM applied_records WHERE source NOT IN (SELECT name FROM connector_state)
                UNION ALL SELECT name || ': newest record time ' || newest_record || ' lies in the future' FROM connector_state
                    WHERE newest_record > ?
                """, [now.addingTimeInterval(86_400)])
        }
        return VerifyReport(store: connection.path, checkedAt: now, checks: checks)
    }

    private func journalGaps() throws -> (problems: [String], total: Int?) {
        guard let row = try connection.statement("SELECT count(*), coalesce(min(seq), 0), coalesce(max(seq), 0) FROM journal").first() else {
            return ([], nil)
        }
        let count = row.int(0) ?? 0, low = row.int(1) ?? 0, high = row.int(2) ?? 0
        guard count > 0 else { return ([], nil) }
        var problems: [String] = []
        if low != 1 { problems.append("the journal starts at \(low), not 1") }
        let missing = high - low + 1 - count
        if missing > 0 {
            problems.append("\(missing) of \(high - low + 1) entries are missing")
            let gaps = try connection.statement("""
                SELECT j.seq + 1, (SELECT min(n.seq) FROM journal n WHERE n.seq > j.seq) - 1 FROM journal j
                WHERE j.seq < ? AND NOT EXISTS (SELECT 1 FROM journal k WHERE k.seq = j.seq + 1) ORDER BY j.seq LIMIT 19
                """).rows([high])
            problems += gaps.map { gap in
                let from = gap.int(0) ?? 0, to = gap.int(1) ?? 0
                return from == to ? "entry \(from) is missing" : "entries \(from)…\(to) are missing"
            }
        }
        return (problems, nil)
    }

    private func listed(_ sql: String, _ values: [SQLBindable] = []) throws -> (problems: [String], total: Int?) {
        var problems: [String] = []
        var total = 0
        try connection.statement(sql).forEach(values) { row in
            total += 1
            if problems.count < 20 { problems.append(row.string(0) ?? "?") }
        }
        return (problems, total)
    }
}
