import Foundation

extension Engine {
    /// The resolution of a merge candidate a person settled with `--separate`.
    static let keptSeparate = "kept separate"

    /// Settles open conflict `id` and journals `conflict.resolved` (plus the field change or
    /// merge it causes). `actor` names who decided, for the provenance (`admin:alice`).
    public func resolveConflict(_ id: Int64, _ resolution: ConflictResolution, actor: String) throws {
        try connection.transaction {
            guard let row = try connection.prepared("""
                SELECT kind, customer_code, field, other_code, status FROM conflicts WHERE id = ?
                """).first([id]) else {
                throw EngineRefusal.notFound("no conflict #\(id); `syncctl conflicts` lists the open ones")
            }
            guard row.string(4) == "open" else { throw EngineRefusal("conflict #\(id) is already \(row.string(4) ?? "closed")") }
            let kind = row.string(0) ?? ""
            guard let stored = row.string(1), let code = try resolveCode(stored) else {
                throw EngineRefusal("conflict #\(id) names a customer that no longer exists")
            }
            let at = now()
            let outcome: String
            // The value a field conflict was settled with goes into the journal next to its
            // field, where masking finds it, never into the outcome text: readers see both.
            var settled: (field: String, value: String)?
            switch (kind, resolution) {
            case ("field", .takeSource(let source)):
                guard let field = row.string(2).flatMap(CanonicalField.init(rawValue:)) else { throw EngineRefusal("conflict #\(id) has no field") }
                guard let asserted = try connection.prepared("""
                    SELECT value, observed_at FROM field_values WHERE customer_code = ? AND field = ? AND source = ?
                    ORDER BY observed_at DESC LIMIT 1
                    """).first([code, field.rawValue, source]), let value = asserted.string(0) else {
                    throw EngineRefusal("\(source) never asserted a \(field.rawValue) for \(code); see `syncctl conflicts show \(id)`")
                }
                try setManually(field, of: code, to: FieldAssertion(value: value, source: source, observedAt: asserted.date(1) ?? at),
                                actor: actor, at: at)
                outcome = "took \(source)"
                settled = (field.rawValue, value)
            case ("field", .value(let raw)):
                guard let field = row.string(2).flatMap(CanonicalField.init(rawValue:)) else { throw EngineRefusal("conflict #\(id) has no field") }
                let record = SourceRecord(key: "conflict-\(id)", observedAt: at, fields: [field: raw], origin: "syncctl resolve")
                guard case .success(let normalized) = RecordNormalizer(settings: settings, now: at).normalize(record, source: actor),
                      let value = normalized.fields[field] else {
                    throw EngineRefusal("\"\(raw)\" is not a valid \(field.rawValue)")
                }
                try setManually(field, of: code, to: FieldAssertion(value: value, source: actor, observedAt: at), actor: actor, at: at)
                outcome = "set by hand"
                settled = (field.rawValue, value)
            case ("merge-candidate", .merge):
                guard let otherCode = row.string(3), let other = try resolveCode(otherCode) else {
                    throw EngineRefusal("conflict #\(id) has no other customer")
                }
                if other != code { try merge(other, into: code, reason: "conflict #\(id) resolved by \(actor)", source: actor, at: at) }
                outcome = "merged \(other) into \(code)"
            case ("merge-candidate", .keepSeparate):
                outcome = Self.keptSeparate
            default:
                throw EngineRefusal(kind == "field"
                    ? "conflict #\(id) is about a field: use --take SOURCE or --value V"
                    : "conflict #\(id) is a merge candidate: use --merge or --separate")
            }
            try connection.prepared("""
                UPDATE conflicts SET status = 'resolved', resolved_at = ?, resolution = ? WHERE id = ? AND status = 'open'
                """).run([at, outcome, id])
            try journal.append(.conflictResolved, source: actor, customer: code, at: at,
                               after: JSONText.object([("id", String(id)), ("field", settled?.field), ("value", settled?.value),
                                                       ("resolution", outcome)]))
        }
    }

    /// Makes `assertion` the current value of `field`, chosen by a person.
    private func setManually(_ field: CanonicalField, of code: String, to assertion: FieldAssertion, actor: String, at: Date) throws {
        let before = try chosenAssertion(code: code, field: field)
        try connection.prepared("""
            UPDATE field_values SET chosen_by = NULL WHERE customer_code = ? AND field = ? AND chosen_by IS NOT NULL
            """).run([code, field.rawValue])
        try assert(assertion, field: field, code: code, at: at, chosenBy: "manual")
        try connection.statement("UPDATE customers SET \(field.rawValue) = ?, updated_at = ?, version = version + 1 WHERE code = ?")
            .run([assertion.value, at, code])
        try journal.append(.fieldChanged, source: actor, customer: code, at: at,
                           before: JSONText.object([("field", field.rawValue), ("value", before?.value), ("source", before?.source)]),
                           after: JSONText.object([("field", field.rawValue), ("value", assertion.value),
                                                   ("source", assertion.source), ("rule", "manual")]))
    }
}
