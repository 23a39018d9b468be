import Foundation

/// Applies batches to the canonical store. Each batch runs normalize → validate → resolve
/// identity → reconcile → write → journal → cursor inside ONE transaction: either all of it
/// commits with the connector's new cursor, or none of it does.
///
/// The engine owns the writer connection and is not thread-safe: exactly one `StoreWriter`
/// drives it.
public final class Engine {
    public let connection: SQLiteConnection
    public var settings: EngineSettings
    let now: @Sendable () -> Date
    /// The customer sequence while a batch runs: read once at its start, written once at its end.
    private var customerSeq: Int64 = 0
    /// RFM boundaries read once per batch (the sweep may change them between batches).
    var batchBoundaries: RFMBoundaries?
    var journal: JournalWriter { JournalWriter(connection: connection) }
    /// Time and work spent deciding which customer records belong to (identity resolution alone,
    /// without the writes that follow), and how many records it decided: the figures `make eval`
    /// compares between store sizes.
    public private(set) var identityResolution = ResolutionCost()
    /// Which lookup keys the store may hold (see `keyPresence()`).
    private var loadedKeyPresence: KeyPresence?
    /// How many keys reading the store found, and how long it took (the daemon logs it at start).
    public private(set) var keyPresenceLoad: (keys: Int, seconds: TimeInterval)?

    public init(connection: SQLiteConnection, settings: EngineSettings,
                now: @escaping @Sendable () -> Date = { Date() }) {
        self.connection = connection
        self.settings = settings
        self.now = now
    }

    /// Applies `batch` atomically and returns what it did.
    public func apply(_ batch: Batch) throws -> BatchOutcome {
        try connection.transaction {
            var outcome = BatchOutcome()
            let startSeq = (try connection.scalarInt("SELECT coalesce(max(seq), 0) FROM journal") ?? 0) + 1
            let normalizer = RecordNormalizer(settings: settings, now: now())
            customerSeq = try connection.scalarInt("SELECT value FROM counters WHERE name = 'customer_seq'") ?? 0
            let seqAtStart = customerSeq
            batchBoundaries = nil
            var newestObserved: Date?
            var touched = Set<String>()
            let presence = try keyPresence()
            let ahead = NormalizationAhead(items: batch.items, normalizer: normalizer, source: batch.source)
            for (index, item) in batch.items.enumerated() {
                switch item {
                case .record(let record):
                    switch ahead.outcome(at: index) {
                    case .failure(.invalid(let reason)):
                        try reject(Rejection(origin: record.origin, reason: reason, raw: record.raw, columns: record.rawLayout?.columns(of: record.raw)),
                                   source: batch.source)
                        outcome.rejected += 1
                    case .success(let normalized):
                        switch try applyRecord(normalized, presence: presence) {
                        case .unchanged: outcome.unchanged += 1
                        case .applied(let code, let created):
                            outcome.applied += 1
                            touched.insert(code)
                            if created { outcome.created += 1 }
                        }
                        newestObserved = max(newestObserved ?? record.observedAt, record.observedAt)
                    }
                case .rejected(let rejection):
                    try reject(rejection, source: batch.source)
                    outcome.rejected += 1
                case .skipped(let origin, let reason):
                    try journal.append(.recordSkipped, source: batch.source, customer: nil, at: now(),
                                       after: JSONText.object([("origin", origin), ("reason", reason)]))
                    outcome.skipped += 1
                }
            }
            let classifiedAt = now()
            for code in touched.sorted() { try reclassify(code, at: classifiedAt) }
            if customerSeq != seqAtStart {
                try connection.prepared("UPDATE counters SET value = ? WHERE name = 'customer_seq'").run([customerSeq])
            }
            if let completed = batch.completedContent {
                try connection.prepared("""
                    INSERT OR IGNORE INTO completed_content(source, hash, name, completed_at) VALUES (?,?,?,?)
                    """).run([batch.source, completed.hash, completed.name, now()])
            }
            try saveConnectorState(batch, outcome: outcome, newestObserved: newestObserved)
            let endSeq = try connection.scalarInt("SELECT coalesce(max(seq), 0) FROM journal") ?? 0
            if endSeq >= startSeq { outcome.journalRange = startSeq...endSeq }
            return outcome
        }
    }

    private enum RecordResult { case unchanged, applied(code: String, created: Bool) }

    /// Reads the keys the store holds (about 0.35 µs a key: 1.5 s for a store of a million
    /// customers). The `StoreWriter` does it when it opens the store; otherwise the first batch does.
    @discardableResult
    func keyPresence() throws(StoreError) -> KeyPresence {
        if let loaded = loadedKeyPresence { return loaded }
        let start = Date()
        let presence = try KeyPresence.load(from: connection)
        keyPresenceLoad = (presence.count, Date().timeIntervalSince(start))
        loadedKeyPresence = presence
        return presence
    }

    private func applyRecord(_ record: NormalizedRecord, presence: KeyPresence) throws -> RecordResult {
        let previous = presence.mayContain(.appliedRecord, record.source, record.key) ? try connection.prepared("""
            SELECT a.content_hash, coalesce(c.merged_into, c.code), a.customer_code FROM applied_records a
            LEFT JOIN customers c ON c.code = a.customer_code
            WHERE a.source = ? AND a.source_key = ?
            """).first([record.source, record.key]) : nil
        if previous?.string(0) == record.contentHash { return .unchanged }

        let at = now()
        let resolver = IdentityResolver(connection: connection, presence: presence, autoMergeScore: settings.autoMergeScore,
                                        reviewScore: settings.reviewScore)
        let missesBefore = connection.pageCacheMisses
        let resolutionStart = ContinuousClock.now
        let match = try resolver.resolve(record, sourceKeyCustomer: previous?.string(1))
        identityResolution.time += ContinuousClock.now - resolutionStart
        identityResolution.records += 1
        identityResolution.pageMisses += connection.pageCacheMisses - missesBefore
        identityResolution.lookups += resolver.lookups
        identityResolution.candidates += resolver.candidatesScored
        identityResolution.profiles += resolver.profilesRead
        let code: String
        let created: Bool
        if let existing = match.code {
            code = existing
            created = false
        } else {
            code = try createCustomer(record, at: at)
            created = true
        }
        for other in match.merges {
            try merge(other.code, into: code, reason: other.reason, source: record.source, at: at)
        }
        for other in match.reviews {
            try openMergeCandidate(survivor: code, other: other.code, reason: other.reason, source: record.source, at: at)
        }
        // A record whose key belongs to a customer merged into `code` stays filed under that
        // customer's own code: its interaction, identifiers, blocking keys and source key show
        // under the survivor while the merge lasts, and go back with it when a person splits a
        // wrong merge. Filed under the survivor, a split would leave them there, and the key
        // would keep sending the absorbed customer's records to the survivor.
        let home = !created && previous?.string(1) == code ? previous?.string(2) ?? code : code
        var changed = created
        if !created {
            changed = try reconcileFields(record, code: code, owner: home, at: at) || changed
        } else {
            try recordProvenance(record, code: code, at: at, chosenBy: "first-value")
        }
        try addIdentifiers(record, code: home, at: at, except: match.contestedKinds.union(match.heldKinds), presence: presence)
        if created || changed {
            try addBlockingKeys(match.blockingKeys ?? MatchProfile(record).blockingKeys, code: home, presence: presence)
        }
        if let interaction = record.interaction, let text = record.interactionText {
            try upsertInteraction(interaction, text: text, code: home, source: record.source, at: at)
        }
        if changed && !created {
            try connection.prepared("UPDATE customers SET updated_at = ?, version = version + 1 WHERE code = ?")
                .run([at, code])
        }
        try connection.prepared("""
            INSERT INTO applied_records(source, source_key, content_hash, customer_code, applied_at)
            VALUES (?,?,?,?,?)
            ON CONFLICT(source, source_key) DO UPDATE SET content_hash = excluded.content_hash,
                customer_code = excluded.customer_code, applied_at = excluded.applied_at
            """).run([record.source, record.key, record.contentHash, home, at])
        presence.insert(.appliedRecord, record.source, record.key)
        return .applied(code: code, created: created)
    }

    // MARK: customers

    private func createCustomer(_ record: NormalizedRecord, at: Date) throws -> String {
        customerSeq += 1
        let code = settings.codeRule.render(seq: customerSeq, fields: record.fields)
        let f = record.fields
        try connection.prepared("""
            INSERT INTO customers(code, name, email, phone, address, company, region, customer_type,
                                  stage, tier, created_at, updated_at)
            VALUES (?,?,?,?,?,?,?,?,'potential',?,?,?)
            """).run([code, f[.name], f[.email], f[.phone], f[.address], f[.company], f[.region],
                      f[.customerType], settings.classification.tiers.tiers.last?.name, at, at])
        let after = JSONText.object(CanonicalField.allCases.compactMap { field in
            f[field].map { (field.rawValue, $0) }
        })
        try journal.append(.customerCreated, source: record.source, customer: code, at: at, after: after)
        return code
    }

    /// Reconciles every field of `record` against customer `code`; true if any value changed.
    /// `owner` is the customer the record's source key belongs to: `code`, or a customer merged
    /// into it. Then the record's values are kept under the owner's code too, and a value it
    /// makes current on `code` is journaled as made for the owner, so that a split of that merge
    /// can give them back (`split`).
    private func reconcileFields(_ record: NormalizedRecord, code: String, owner: String, at: Date) throws -> Bool {
        var changed = false
        // The current value of every field, in one read (a field's first, should there be two).
        var currentValues: [CanonicalField: FieldAssertion] = [:]
        try connection.prepared("""
            SELECT field, value, source, observed_at FROM field_values WHERE customer_code = ? AND chosen_by IS NOT NULL
            """).forEach([code]) { row in
            guard let field = row.string(0).flatMap(CanonicalField.init(rawValue:)), currentValues[field] == nil else { return }
            currentValues[field] = FieldAssertion(value: row.string(1) ?? "", source: row.string(2) ?? "",
                                                  observedAt: row.date(3) ?? .distantPast)
        }
        for field in CanonicalField.allCases {
            guard let value = record.fields[field] else { continue }
            let incoming = FieldAssertion(value: value, source: record.source, observedAt: record.observedAt)
            if owner != code { try assert(incoming, field: field, code: owner, at: at, chosenBy: nil) }
            let current = currentValues[field]
            let decision = FieldReconciler.decide(current: current, incoming: incoming, rule: settings.rule(for: field),
                                                  field: field)
            switch decision {
            case .keep:
                try assert(incoming, field: field, code: code, at: at, chosenBy: nil)
            case .conflict(let reason):
                try assert(incoming, field: field, code: code, at: at, chosenBy: nil)
                try openFieldConflict(code: code, field: field, current: current, incoming: incoming,
                                      reason: reason, at: at)
            case .take(let rule):
                try connection.prepared("""
                    UPDATE field_values SET chosen_by = NULL
                    WHERE customer_code = ? AND field = ? AND chosen_by IS NOT NULL
                    """).run([code, field.rawValue])
                try assert(incoming, field: field, code: code, at: at, chosenBy: rule)
                try connection.statement("UPDATE customers SET \(field.rawValue) = ? WHERE code = ?")
                    .run([value, code])
                try journal.append(.fieldChanged, source: record.source, customer: code, at: at,
                                   before: JSONText.object([("field", field.rawValue), ("value", current?.value),
                                                            ("source", current?.source)]),
                                   after: JSONText.object([("field", field.rawValue), ("value", value),
                                                           ("source", record.source), ("rule", rule)]
                                                          + (owner == code ? [] : [("for", owner)])))
                changed = true
            }
        }
        return changed
    }

    private func recordProvenance(_ record: NormalizedRecord, code: String, at: Date, chosenBy: String) throws {
        for field in CanonicalField.allCases {
            guard let value = record.fields[field] else { continue }
            try assert(FieldAssertion(value: value, source: record.source, observedAt: record.observedAt),
                       field: field, code: code, at: at, chosenBy: chosenBy)
        }
    }

    /// Keeps `assertion` in the provenance table; the latest observation of a value wins.
    func assert(_ assertion: FieldAssertion, field: CanonicalField, code: String, at: Date,
                        chosenBy: String?) throws {
        try connection.prepared("""
            INSERT INTO field_values(customer_code, field, source, value, observed_at, recorded_at, chosen_by)
            VALUES (?,?,?,?,?,?,?)
            ON CONFLICT(customer_code, field, source, value) DO UPDATE SET
                observed_at = max(observed_at, excluded.observed_at), recorded_at = excluded.recorded_at,
                chosen_by = coalesce(excluded.chosen_by, chosen_by)
            """).run([code, field.rawValue, assertion.source, assertion.value, assertion.observedAt, at, chosenBy])
    }

    /// Attaches the record's e-mail and phone to `code`, except the kinds in `skipped` (contested
    /// ones, and ones `code` already holds).
    private func addIdentifiers(_ record: NormalizedRecord, code: String, at: Date, except skipped: Set<String>,
                                presence: KeyPresence) throws {
        let insert = try connection.prepared("""
            INSERT OR IGNORE INTO identifiers(kind, value, customer_code, source, first_seen) VALUES (?,?,?,?,?)
            """)
        var keys: [(String, String)] = []
        if let email = record.email { keys.append(("email", email.normalized)) }
        if let phone = record.phone { keys.append(("phone", phone.e164)) }
        for (kind, value) in keys where !skipped.contains(kind) {
            try insert.run([kind, value, code, record.source, at])
            presence.insert(.identifier, kind, value)
        }
    }

    /// Files `code` under a record's blocking keys for fuzzy matching (old keys stay: a customer
    /// once called Wang Li is still findable as Wang Li).
    private func addBlockingKeys(_ keys: [(kind: String, value: String)], code: String, presence: KeyPresence) throws {
        let insert = try connection.prepared("INSERT OR IGNORE INTO match_keys(kind, value, customer_code) VALUES (?,?,?)")
        for key in keys {
            try insert.run([key.kind, key.value, code])
            presence.insert(.blockingKey, key.kind, key.value)
        }
    }

    // MARK: interactions

    private func upsertInteraction(_ interaction: Interaction, text: InteractionText, code: String, source: String,
                                   at: Date) throws {
        let details = text.details
        let summary = text.summary
        // Most interactions are new: try the insert first, and look at the stored one only
        // when (source, key) already exists.
        try connection.prepared("""
            INSERT INTO interactions(customer_code, kind, source, source_key, occurred_at, summary, status,
                                     amount, currency, details, recorded_at, updated_at)
            VALUES (?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT(source, source_key) DO NOTHING
            """).run([code, interaction.kind.rawValue, source, interaction.key, interaction.occurredAt, interaction.summary,
                      interaction.status, interaction.amount, interaction.currency, details, at, at])
        if connection.changes == 1 {
            try journal.append(.interactionRecorded, source: source, customer: code, at: at, after: summary)
            return
        }
        guard let existing = try connection.prepared("""
            SELECT id, occurred_at, summary, status, amount, currency, details FROM interactions
            WHERE source = ? AND source_key = ?
            """).first([source, interaction.key]) else {
            throw StoreError.inconsistent("interaction \(source):\(interaction.key) vanished during its update")
        }
        let values: [SQLBindable] = [interaction.occurredAt, interaction.summary, interaction.status,
                                     interaction.amount, interaction.currency, details]
        if Array(existing.values.dropFirst()) == values.map(\.sqlValue) { return }
        try connection.prepared("""
            UPDATE interactions SET occurred_at = ?, summary = ?, status = ?, amount = ?, currency = ?,
                                    details = ?, updated_at = ? WHERE id = ?
            """).run(values + [at, existing[0]])
        let before = JSONText.object([
            ("kind", interaction.kind.rawValue), ("key", interaction.key),
            ("status", existing.string(3)), ("amount", existing.double(4).map { String($0) }),
        ])
        try journal.append(.interactionUpdated, source: source, customer: code, at: at, before: before, after: summary)
    }

    // MARK: conflicts, rejections, state

    private func openFieldConflict(code: String, field: CanonicalField, current: FieldAssertion?,
                                   incoming: FieldAssertion, reason: String, at: Date) throws {
        let alreadyOpen = try connection.scalarInt("""
            SELECT count(*) FROM conflicts WHERE status = 'open' AND kind = 'field' AND customer_code = ?
              AND field = ? AND instr(candidates, ?) > 0
            """, [code, field.rawValue, JSONText.string(incoming.value)]) ?? 0
        if alreadyOpen > 0 { return }
        let candidates = "[" + [current, incoming].compactMap { $0 }.map {
            JSONText.object([("value", $0.value), ("source", $0.source),
                             ("observed_at", ISO8601.string($0.observedAt))])
        }.joined(separator: ",") + "]"
        try connection.prepared("""
            INSERT INTO conflicts(kind, customer_code, field, current_value, candidates, reason, opened_at)
            VALUES ('field', ?, ?, ?, ?, ?, ?)
            """).run([code, field.rawValue, current?.value, candidates, reason, at])
        let id = connection.lastInsertRowID
        try journal.append(.conflictOpened, source: incoming.source, customer: code, at: at,
                           after: JSONText.object([("id", String(id)), ("kind", "field"),
                                                   ("field", field.rawValue), ("reason", reason)]))
    }

    /// Opens a merge candidate for two customers, unless one is open for them already or a
    /// person has decided they are different people (`--separate`): that answer stands, or the
    /// pair would come back with every record that carries both their keys.
    func openMergeCandidate(survivor: String, other: String, reason: String, source: String, at: Date) throws {
        let alreadyOpen = try connection.scalarInt("""
            SELECT count(*) FROM conflicts WHERE kind = 'merge-candidate'
              AND (status = 'open' OR (status = 'resolved' AND resolution = ?))
              AND ((customer_code = ? AND other_code = ?) OR (customer_code = ? AND other_code = ?))
            """, [Self.keptSeparate, survivor, other, other, survivor]) ?? 0
        if alreadyOpen > 0 { return }
        let candidates = "[" + JSONText.string(survivor) + "," + JSONText.string(other) + "]"
        try connection.prepared("""
            INSERT INTO conflicts(kind, customer_code, other_code, candidates, reason, opened_at)
            VALUES ('merge-candidate', ?, ?, ?, ?, ?)
            """).run([survivor, other, candidates, reason, at])
        let id = connection.lastInsertRowID
        try journal.append(.conflictOpened, source: source, customer: survivor, at: at,
                           after: JSONText.object([("id", String(id)), ("kind", "merge-candidate"),
                                                   ("other", other), ("reason", reason)]))
    }

    private func reject(_ rejection: Rejection, source: String) throws {
        // The same input refused for the same reason while its entry is still open is that
        // entry: a feed without an incremental mode sends an unmappable order on every poll,
        // and one entry a poll would bury the others. (An entry being retried is not open: a
        // poll that rejects the input again opens a new one, which is how a retry fails.)
        if !rejection.raw.isEmpty, try connection.prepared("""
            SELECT 1 FROM quarantine WHERE source = ? AND reason = ? AND status = 'open' AND raw = ? LIMIT 1
            """).first([source, rejection.reason, rejection.raw]) != nil {
            return
        }
        let at = now()
        let columns = try rejection.columns.map { String(decoding: try JSONEncoder().encode($0), as: UTF8.self) }
        try connection.prepared("INSERT INTO quarantine(source, origin, reason, raw, raw_columns, at) VALUES (?,?,?,?,?,?)")
            .run([source, rejection.origin, rejection.reason, rejection.raw, columns, at])
        let id = connection.lastInsertRowID
        try journal.append(.recordRejected, source: source, customer: nil, at: at,
                           after: JSONText.object([("quarantine", String(id)), ("origin", rejection.origin),
                                                   ("reason", rejection.reason)]))
    }

    private func saveConnectorState(_ batch: Batch, outcome: BatchOutcome, newestObserved: Date?) throws {
        try connection.prepared("INSERT OR IGNORE INTO connector_state(name) VALUES (?)").run([batch.source])
        try connection.prepared("""
            UPDATE connector_state SET cursor = coalesce(?, cursor),
                newest_record = max(coalesce(newest_record, 0), coalesce(?, 0)),
                records_in = records_in + ?, applied = applied + ?, unchanged = unchanged + ?,
                rejected = rejected + ?, skipped = skipped + ?
            WHERE name = ?
            """).run([batch.nextCursor?.value, newestObserved, outcome.recordsIn, outcome.applied,
                      outcome.unchanged, outcome.rejected, outcome.skipped, batch.source])
    }

    // MARK: outside batches

    /// Records a successful poll (even one that brought nothing new).
    public func recordPollSuccess(connector: String) throws {
        try connection.transaction {
            try connection.prepared("INSERT OR IGNORE INTO connector_state(name) VALUES (?)").run([connector])
            try connection.prepared("UPDATE connector_state SET last_success = ?, last_error = NULL WHERE name = ?")
                .run([now(), connector])
        }
    }

    /// Records why a poll failed; shown by `syncctl status` until the next success.
    public func recordPollFailure(connector: String, message: String) throws {
        try connection.transaction {
            try connection.prepared("INSERT OR IGNORE INTO connector_state(name) VALUES (?)").run([connector])
            try connection.prepared("UPDATE connector_state SET last_error = ?, last_error_at = ? WHERE name = ?")
                .run([message, now(), connector])
        }
    }

    /// Whether a batch of `source` has recorded `hash` as completed content.
    public func hasCompletedContent(source: String, hash: String) throws -> Bool {
        try connection.scalarInt("SELECT count(*) FROM completed_content WHERE source = ? AND hash = ?",
                                 [source, hash]) ?? 0 > 0
    }

    /// The committed cursor of a connector, where its next poll starts.
    public func cursor(for connector: String) throws -> Cursor? {
        try connection.prepared("SELECT cursor FROM connector_state WHERE name = ?").first([connector])?
            .string(0).map(Cursor.init)
    }
}
