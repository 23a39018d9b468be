/// Deterministic identity resolution: the record's source key, then its normalized e-mail,
/// then its normalized phone. A key shared by several customers (a family phone) decides
/// nothing; keys that point at different customers open a merge candidate instead of merging.
struct IdentityResolver {
    let connection: SQLiteConnection

    func resolve(_ record: NormalizedRecord) throws(StoreError) -> IdentityMatch {
        var keys: [(kind: String, value: String, reason: String)] = [("source", record.sourceIdentifier, "source-key")]
        if let email = record.email { keys.append(("email", email.normalized, "email=exact")) }
        if let phone = record.phone { keys.append(("phone", phone.e164, "phone=exact")) }

        var chosen: (code: String, reason: String)?
        var others: [(code: String, reason: String)] = []
        for key in keys {
            let codes = try customers(kind: key.kind, value: key.value)
            guard codes.count == 1, let code = codes.first else { continue }
            if let current = chosen {
                if current.code != code && !others.contains(where: { $0.code == code }) {
                    others.append((code, key.reason))
                }
            } else {
                chosen = (code, key.reason)
            }
        }
        return IdentityMatch(code: chosen?.code, reason: chosen?.reason ?? "no match", otherCandidates: others)
    }

    /// Live customers holding an identifier; merged customers resolve to their survivor.
    func customers(kind: String, value: String) throws(StoreError) -> [String] {
        let rows = try connection.statement("""
            SELECT DISTINCT coalesce(c.merged_into, c.code) FROM identifiers i
            JOIN customers c ON c.code = i.customer_code
            WHERE i.kind = ? AND i.value = ?
            """).rows([kind, value])
        return rows.compactMap { $0.string(0) }
    }
}
