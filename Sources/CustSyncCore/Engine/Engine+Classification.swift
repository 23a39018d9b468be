import Foundation

extension Engine {
    /// Recomputes stage, RFM, tier and rule tags of customer `touched` (of its survivor, when it
    /// has been merged) and journals what changed (`lifecycle.changed`, `tag.changed`). Runs
    /// inside the caller's transaction. Rule tags left over from rules since removed from the
    /// configuration are cleared by the sweep (`sweeping`), so the per-record path skips that
    /// lookup when no rule exists.
    func reclassify(_ touched: String, at: Date, sweeping: Bool = false) throws {
        let classification = settings.classification
        // The fields tag rules look at come with the same read, when rules may need them.
        let rulesMayApply = sweeping || !classification.tagRules.isEmpty
        // The row says whether the customer was merged too: a batch classifies every customer
        // it touched, so that answer costs no statement of its own.
        guard var current = try classificationRow(of: touched, withFields: rulesMayApply) else { return }
        var code = touched
        if let survivor = current.string(0) {
            guard let row = try classificationRow(of: survivor, withFields: rulesMayApply) else { return }
            code = survivor
            current = row
        }
        let metrics = try CustomerMetrics.read(code: code, connection: connection, settings: classification, now: at)
        let stage = LifecycleStage.of(metrics, settings: classification.lifecycle, now: at)
        let boundaries = try batchBoundaries ?? rfmBoundaries()
        batchBoundaries = boundaries
        let rfm = RFMScore.of(metrics, boundaries: boundaries, now: at)
        let tier = RFMScore.tier(for: rfm, tiers: classification.tiers.tiers)
        let currentRFM = current.int(3).map { RFMScore(r: Int($0), f: Int(current.int(4) ?? 0), m: Int(current.int(5) ?? 0)) }
        let stageOrTierChanged = current.string(1) != stage.rawValue || current.string(2) != tier
        if stageOrTierChanged {
            try connection.prepared("UPDATE customers SET stage = ?, tier = ?, rfm_r = ?, rfm_f = ?, rfm_m = ? WHERE code = ?")
                .run([stage.rawValue, tier, rfm?.r, rfm?.f, rfm?.m, code])
        } else if currentRFM != rfm {
            // Setting stage and tier, even to the same values, would rewrite the
            // customers_by_stage entry too; a new order mostly moves the scores alone.
            try connection.prepared("UPDATE customers SET rfm_r = ?, rfm_f = ?, rfm_m = ? WHERE code = ?")
                .run([rfm?.r, rfm?.f, rfm?.m, code])
        }
        if stageOrTierChanged {
            try journal.append(.lifecycleChanged, source: "classification", customer: code, at: at,
                               before: JSONText.object([("stage", current.string(1)), ("tier", current.string(2))]),
                               after: JSONText.object([("stage", stage.rawValue), ("tier", tier), ("rfm", rfm?.description)]))
        }
        if classification.tagRules.isEmpty {
            guard sweeping, (try connection.scalarInt("SELECT count(*) FROM tags WHERE customer_code = ? AND origin = 'rule'", [code]) ?? 0) > 0
            else { return }
        }
        var values: [String: String] = ["stage": stage.rawValue, "tier": tier ?? ""]
        let fields: [CanonicalField] = [.region, .customerType, .name, .email, .phone, .address, .company]
        for (offset, field) in fields.enumerated() { values[field.rawValue] = current.string(6 + offset) ?? "" }
        let wanted = Set(classification.tagRules.filter { $0.holds(metrics: metrics, rfm: rfm, values: values, now: at) }.map(\.name))
        let present = Set(try connection.prepared("SELECT tag FROM tags WHERE customer_code = ? AND origin = 'rule'").strings([code]))
        for tag in wanted.subtracting(present).sorted() {
            try connection.prepared("INSERT OR IGNORE INTO tags(customer_code, tag, origin, added_at) VALUES (?,?,'rule',?)").run([code, tag, at])
            if connection.changes == 1 { try journalTag(code, tag, "added", origin: "rule", source: "classification", at: at) }
        }
        for tag in present.subtracting(wanted).sorted() {
            try connection.prepared("DELETE FROM tags WHERE customer_code = ? AND tag = ? AND origin = 'rule'").run([code, tag])
            try journalTag(code, tag, "removed", origin: "rule", source: "classification", at: at)
        }
    }

    /// `merged_into, stage, tier, rfm_r, rfm_f, rfm_m` of customer `code`, then (`withFields`)
    /// the fields tag rules look at: region, customer_type, name, email, phone, address, company.
    private func classificationRow(of code: String, withFields: Bool) throws -> Row? {
        try withFields
            ? connection.prepared("""
                SELECT merged_into, stage, tier, rfm_r, rfm_f, rfm_m,
                       region, customer_type, name, email, phone, address, company
                FROM customers WHERE code = ?
                """).first([code])
            : connection.prepared("SELECT merged_into, stage, tier, rfm_r, rfm_f, rfm_m FROM customers WHERE code = ?")
                .first([code])
    }

    /// The boundaries RFM scores use now: fixed ones from the configuration, or the quintiles
    /// the last sweep stored (fixed ones until a sweep has run).
    func rfmBoundaries() throws -> RFMBoundaries {
        let tiers = settings.classification.tiers
        guard tiers.scoring == .quintiles,
              let stored = try connection.prepared("SELECT value FROM classification_state WHERE key = 'rfm-quintiles'").firstString([]),
              let boundaries = try? JSONDecoder().decode(RFMBoundaries.self, from: Data(stored.utf8)) else {
            return RFMBoundaries(fixed: tiers)
        }
        return boundaries
    }

    /// Recomputes the quintile boundaries over every live customer with orders.
    public func refreshQuintiles() throws {
        guard settings.classification.tiers.scoring == .quintiles else { return }
        let at = now()
        try connection.transaction {
            var recency: [Double] = [], orders: [Double] = [], spent: [Double] = []
            let uncounted = CustomerMetrics.uncountedStatuses.sorted()
            try connection.statement("""
                SELECT max(i.occurred_at), count(*), coalesce(sum(i.amount) FILTER (WHERE i.currency IS NULL OR upper(i.currency) = ?), 0)
                FROM interactions i JOIN customers c ON c.code = i.customer_code
                WHERE i.kind = 'order'
                  AND lower(coalesce(i.status, '')) NOT IN (\(Array(repeating: "?", count: uncounted.count).joined(separator: ",")))
                GROUP BY coalesce(c.merged_into, c.code)
                """).forEach([settings.classification.tiers.currency] + uncounted) { row in
                recency.append(at.timeIntervalSince(row.date(0) ?? at) / 86_400)
                orders.append(Double(row.int(1) ?? 0))
                spent.append(row.double(2) ?? 0)
            }
            guard let boundaries = RFMBoundaries.quintiles(recencyDays: recency, orders: orders, spent: spent),
                  let data = try? JSONEncoder().encode(boundaries) else { return }
            try connection.prepared("INSERT OR REPLACE INTO classification_state(key, value) VALUES ('rfm-quintiles', ?)")
                .run([String(decoding: data, as: UTF8.self)])
            batchBoundaries = nil
        }
    }

    /// Reclassifies up to `limit` live customers with codes after `after`, in one transaction;
    /// returns the last code done, or nil when the sweep is complete. The daemon calls it in a
    /// loop so the writer is never held for long.
    public func sweepClassification(after: String?, limit: Int) throws -> String? {
        try connection.transaction {
            let at = now()
            let codes = try connection.prepared("""
                SELECT code FROM customers WHERE merged_into IS NULL AND code > ? ORDER BY code LIMIT ?
                """).strings([after ?? "", limit])
            batchBoundaries = nil
            for code in codes { try reclassify(code, at: at, sweeping: true) }
            return codes.count < limit ? nil : codes.last
        }
    }

    /// Adds and removes manual tags of a customer (by any of its codes).
    public func setTags(_ code: String, add: [String], remove: [String], actor: String) throws -> [String] {
        try connection.transaction {
            guard let live = try resolveCode(code) else { throw EngineRefusal.notFound("unknown customer code \(code)") }
            let at = now()
            for tag in add {
                guard !tag.isEmpty, tag.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) else {
                    throw EngineRefusal("\"\(tag)\" is not a tag name (letters, digits, - and _)")
                }
                try connection.prepared("INSERT OR IGNORE INTO tags(customer_code, tag, origin, added_at) VALUES (?,?,'manual',?)").run([live, tag, at])
                if connection.changes == 1 { try journalTag(live, tag, "added", origin: "manual", source: actor, at: at) }
            }
            for tag in remove {
                try connection.prepared("DELETE FROM tags WHERE customer_code = ? AND tag = ? AND origin = 'manual'").run([live, tag])
                if connection.changes == 1 { try journalTag(live, tag, "removed", origin: "manual", source: actor, at: at) }
            }
            return try connection.prepared("SELECT tag FROM tags WHERE customer_code = ? ORDER BY tag").strings([live])
        }
    }

    private func journalTag(_ code: String, _ tag: String, _ change: String, origin: String, source: String, at: Date) throws {
        try journal.append(.tagChanged, source: source, customer: code, at: at,
                           after: JSONText.object([("tag", tag), ("change", change), ("origin", origin)]))
    }
}
