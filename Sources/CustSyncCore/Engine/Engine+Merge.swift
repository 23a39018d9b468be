import Foundation

extension Engine {
    /// The value of `field` that is current for `code`, with its provenance.
    func chosenAssertion(code: String, field: CanonicalField) throws -> FieldAssertion? {
        try connection.prepared("""
            SELECT value, source, observed_at FROM field_values
            WHERE customer_code = ? AND field = ? AND chosen_by IS NOT NULL
            """).first([code, field.rawValue]).map {
            FieldAssertion(value: $0.string(0) ?? "", source: $0.string(1) ?? "", observedAt: $0.date(2) ?? .distantPast)
        }
    }

    /// The live customer a code resolves to: itself, or the survivor it was merged into.
    public func resolveCode(_ code: String) throws -> String? {
        try connection.prepared("SELECT coalesce(merged_into, code) FROM customers WHERE code = ?").firstString([code])
    }

    /// Merges customer `absorbed` into `survivor`. The absorbed code stays as an alias that
    /// resolves to the survivor (codes are never reused); its interactions stay attached to it
    /// and show under the survivor; each field is reconciled by its policy. Everything needed to
    /// undo it is written to the `customer.merged` journal entry, which `split` reads.
    func merge(_ absorbed: String, into survivor: String, reason: String, source: String, at: Date) throws {
        guard absorbed != survivor else { return }
        guard try resolveCode(absorbed) == absorbed else { return } // already merged elsewhere
        guard try resolveCode(survivor) == survivor else {
            throw EngineRefusal("\(survivor) was itself merged into \(try resolveCode(survivor) ?? "?"); merge into that one")
        }
        let repointed = try connection.prepared("SELECT code FROM customers WHERE merged_into = ?").strings([absorbed])
        try connection.prepared("UPDATE customers SET merged_into = ? WHERE merged_into = ?").run([survivor, absorbed])
        try connection.prepared("UPDATE customers SET merged_into = ?, updated_at = ? WHERE code = ?").run([survivor, at, absorbed])

        var changes: [[String: Any]] = []
        for field in CanonicalField.allCases {
            guard let theirs = try chosenAssertion(code: absorbed, field: field) else { continue }
            let ours = try chosenAssertion(code: survivor, field: field)
            switch FieldReconciler.decide(current: ours, incoming: theirs, rule: settings.rule(for: field), field: field) {
            case .take(let rule):
                try connection.prepared("""
                    UPDATE field_values SET chosen_by = NULL WHERE customer_code = ? AND field = ? AND chosen_by IS NOT NULL
                    """).run([survivor, field.rawValue])
                try assert(theirs, field: field, code: survivor, at: at, chosenBy: "merge,\(rule)")
                try connection.statement("UPDATE customers SET \(field.rawValue) = ? WHERE code = ?").run([theirs.value, survivor])
                changes.append(["field": field.rawValue, "before": ours.map { ["value": $0.value, "source": $0.source] } ?? NSNull(),
                                "after": ["value": theirs.value, "source": theirs.source], "rule": rule])
            case .keep, .conflict:
                try assert(theirs, field: field, code: survivor, at: at, chosenBy: nil)
            }
        }
        try connection.prepared("UPDATE customers SET updated_at = ?, version = version + 1 WHERE code = ?").run([at, survivor])
        try connection.prepared("""
            UPDATE conflicts SET status = 'resolved', resolved_at = ?, resolution = 'merged'
            WHERE status = 'open' AND kind = 'merge-candidate'
              AND ((customer_code = ? AND other_code = ?) OR (customer_code = ? AND other_code = ?))
            """).run([at, survivor, absorbed, absorbed, survivor])
        try journal.append(.customerMerged, source: source, customer: survivor, at: at,
                           after: Self.json(["absorbed": absorbed, "survivor": survivor, "reason": reason,
                                             "repointed": repointed, "changes": changes]))
    }

    /// Undoes the merge that absorbed `absorbed`, from its journal entry: the code becomes a
    /// customer of its own again, codes that had been merged into it return to it, and fields the
    /// merge changed on the survivor get their earlier values back (unless they changed since).
    public func split(_ absorbed: String, source: String) throws -> String {
        try connection.transaction {
            let at = now()
            guard let row = try connection.prepared("SELECT merged_into FROM customers WHERE code = ?").first([absorbed]) else {
                throw EngineRefusal.notFound("unknown customer code \(absorbed)")
            }
            guard let survivor = row.string(0) else {
                throw EngineRefusal("\(absorbed) is not merged into another customer; nothing to split")
            }
            guard let entry = try connection.prepared("""
                SELECT seq, at, after FROM journal WHERE kind = 'customer.merged' AND customer_code = ? AND instr(after, ?) > 0
                ORDER BY seq DESC LIMIT 1
                """).first([survivor, "\"absorbed\":\"\(absorbed)\""]),
                  let mergeSeq = entry.int(0), let mergedAt = entry.date(1),
                  let merge = try JSONSerialization.jsonObject(with: Data((entry.string(2) ?? "").utf8)) as? [String: Any] else {
                throw EngineRefusal("no customer.merged journal entry records \(absorbed) being merged into \(survivor)")
            }
            try connection.prepared("UPDATE customers SET merged_into = NULL, updated_at = ? WHERE code = ?").run([at, absorbed])
            for code in merge["repointed"] as? [String] ?? [] {
                try connection.prepared("UPDATE customers SET merged_into = ? WHERE code = ? AND merged_into = ?").run([absorbed, code, survivor])
            }
            var restored: [String] = []
            for change in merge["changes"] as? [[String: Any]] ?? [] {
                guard let name = change["field"] as? String, let field = CanonicalField(rawValue: name),
                      let after = change["after"] as? [String: String] else { continue }
                guard try chosenAssertion(code: survivor, field: field)?.value == after["value"] else { continue }
                try connection.prepared("""
                    UPDATE field_values SET chosen_by = NULL WHERE customer_code = ? AND field = ? AND chosen_by IS NOT NULL
                    """).run([survivor, name])
                try connection.prepared("DELETE FROM field_values WHERE customer_code = ? AND field = ? AND source = ? AND value = ?")
                    .run([survivor, name, after["source"] ?? "", after["value"] ?? ""])
                let before = change["before"] as? [String: String]
                if let before {
                    try connection.prepared("""
                        UPDATE field_values SET chosen_by = 'split' WHERE customer_code = ? AND field = ? AND source = ? AND value = ?
                        """).run([survivor, name, before["source"] ?? "", before["value"] ?? ""])
                }
                try connection.statement("UPDATE customers SET \(name) = ? WHERE code = ?").run([before?["value"], survivor])
                restored.append(name)
            }
            restored += try revertChanges(madeFor: absorbed, on: survivor, since: mergeSeq)
            let returned = try chooseOwnValues(of: absorbed, assertedSince: mergedAt)
            try connection.prepared("UPDATE customers SET updated_at = ?, version = version + 1 WHERE code IN (?, ?)")
                .run([at, survivor, absorbed])
            try journal.append(.customerSplit, source: source, customer: survivor, at: at,
                               after: Self.json(["absorbed": absorbed, "survivor": survivor, "restored": restored,
                                                 "returned": returned]))
            return survivor
        }
    }

    /// Undoes, newest first, the field changes that records of `absorbed` made on `survivor` while
    /// merged into it (`field.changed` entries made `for` it), each only if its value is still the
    /// current one: a later change by the survivor's own sources stands. Returns the fields.
    private func revertChanges(madeFor absorbed: String, on survivor: String, since mergeSeq: Int64) throws -> [String] {
        var reverted: [String] = []
        let entries = try connection.prepared("""
            SELECT before, after FROM journal WHERE kind = 'field.changed' AND customer_code = ? AND seq > ? AND instr(after, ?) > 0
            ORDER BY seq DESC
            """).rows([survivor, mergeSeq, "\"for\":\(JSONText.string(absorbed))"])
        for entry in entries {
            guard let after = Self.object(entry.string(1)), let name = after["field"] as? String,
                  let field = CanonicalField(rawValue: name), let current = try chosenAssertion(code: survivor, field: field),
                  current.value == after["value"] as? String, current.source == after["source"] as? String else { continue }
            let before = Self.object(entry.string(0))
            let earlier = (before?["value"] as? String, before?["source"] as? String)
            try connection.prepared("""
                UPDATE field_values SET chosen_by = NULL WHERE customer_code = ? AND field = ? AND chosen_by IS NOT NULL
                """).run([survivor, name])
            if let value = earlier.0, let origin = earlier.1 {
                try connection.prepared("""
                    UPDATE field_values SET chosen_by = 'split' WHERE customer_code = ? AND field = ? AND source = ? AND value = ?
                    """).run([survivor, name, origin, value])
            }
            try connection.statement("UPDATE customers SET \(name) = ? WHERE code = ?").run([earlier.0, survivor])
            if !reverted.contains(name) { reverted.append(name) }
        }
        return reverted
    }

    /// Gives `absorbed` the values its own records asserted while it was merged (kept under its
    /// code, `reconcileFields`), each field reconciled by its policy in the order observed, as if
    /// they had reached it directly. Returns the fields whose value changed.
    private func chooseOwnValues(of absorbed: String, assertedSince mergedAt: Date) throws -> [String] {
        var changed: [String] = []
        for field in CanonicalField.allCases {
            let asserted = try connection.prepared("""
                SELECT value, source, observed_at FROM field_values
                WHERE customer_code = ? AND field = ? AND chosen_by IS NULL AND recorded_at >= ? ORDER BY observed_at, recorded_at
                """).rows([absorbed, field.rawValue, mergedAt]).map {
                FieldAssertion(value: $0.string(0) ?? "", source: $0.string(1) ?? "", observedAt: $0.date(2) ?? .distantPast)
            }
            var current = try chosenAssertion(code: absorbed, field: field)
            let before = current?.value
            for incoming in asserted {
                guard case .take = FieldReconciler.decide(current: current, incoming: incoming, rule: settings.rule(for: field),
                                                          field: field) else { continue }
                current = incoming
            }
            guard let chosen = current, chosen.value != before else { continue }
            try connection.prepared("""
                UPDATE field_values SET chosen_by = NULL WHERE customer_code = ? AND field = ? AND chosen_by IS NOT NULL
                """).run([absorbed, field.rawValue])
            try connection.prepared("""
                UPDATE field_values SET chosen_by = 'split' WHERE customer_code = ? AND field = ? AND source = ? AND value = ?
                """).run([absorbed, field.rawValue, chosen.source, chosen.value])
            try connection.statement("UPDATE customers SET \(field.rawValue) = ? WHERE code = ?").run([chosen.value, absorbed])
            changed.append(field.rawValue)
        }
        return changed
    }

    private static func object(_ text: String?) -> [String: Any]? {
        text.flatMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
    }

    /// Merges two customers on an administrator's word.
    public func mergeCustomers(_ absorbed: String, into survivor: String, source: String) throws {
        try connection.transaction {
            guard let a = try resolveCode(absorbed), let s = try resolveCode(survivor) else {
                throw EngineRefusal.notFound("unknown customer code: \(try resolveCode(absorbed) == nil ? absorbed : survivor)")
            }
            guard a != s else { throw EngineRefusal("\(absorbed) and \(survivor) are already one customer (\(s))") }
            try merge(a, into: s, reason: "merged by an administrator", source: source, at: now())
        }
    }

    static func json(_ object: [String: Any]) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}
