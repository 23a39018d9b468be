import CustSyncCore
import Foundation

/// Feeds generated records to a real `StoreWriter`, the way connectors do: one batch per
/// source, `batchSize` records each, in the order given.
struct RecordFeeder {
    let writer: StoreWriter
    var batchSize: Int
    var withInteractions: Bool

    struct Totals {
        var outcome = BatchOutcome()
        var batches = 0
        var seconds = 0.0
        var records = 0
        var rate: Double { seconds > 0 ? Double(records) / seconds : 0 }
    }

    /// Applies `records` (whose source keys are `keys`) in order and returns what the engine
    /// did. After each batch, `stop(applied, seconds)` (records applied so far, time taken) may
    /// end the run: the batches still pending are applied and `Totals.records` says how many of
    /// `records` (a prefix) were.
    func apply(_ records: [GenRecord], keys: [String],
               stop: (_ applied: Int, _ seconds: Double) -> Bool = { _, _ in false }) throws -> Totals {
        var totals = Totals()
        var pending: [String: [Batch.Item]] = [:]
        var cursor = 0
        var flushed = 0
        let start = Date()
        func flush(_ source: String) throws {
            guard let items = pending[source], !items.isEmpty else { return }
            let outcome = try writer.apply(Batch(source: source, items: items, nextCursor: Cursor(String(cursor))))
            totals.outcome.applied += outcome.applied
            totals.outcome.created += outcome.created
            totals.outcome.unchanged += outcome.unchanged
            totals.outcome.rejected += outcome.rejected
            totals.outcome.skipped += outcome.skipped
            totals.batches += 1
            flushed += items.count
            pending[source] = []
        }
        var consumed = records.count
        for (index, record) in records.enumerated() {
            cursor = index
            pending[record.source, default: []].append(.record(sourceRecord(record, key: keys[index])))
            if pending[record.source]!.count >= batchSize {
                try flush(record.source)
                if stop(flushed, Date().timeIntervalSince(start)) {
                    consumed = index + 1
                    break
                }
            }
        }
        for source in pending.keys.sorted() { try flush(source) }
        totals.seconds = Date().timeIntervalSince(start)
        totals.records = consumed
        return totals
    }

    func sourceRecord(_ record: GenRecord, key: String) -> SourceRecord {
        var fields: [CanonicalField: String] = [:]
        if let name = record.name { fields[.name] = name }
        if let phone = record.phone { fields[.phone] = phone }
        if let email = record.email { fields[.email] = email }
        var interaction: Interaction?
        if withInteractions {
            switch record.source {
            case "callcenter":
                interaction = Interaction(kind: .call, key: "call-" + key, occurredAt: record.observedAt,
                                          summary: "inbound", details: ["agent": "A\(key.count % 7)"])
            case "mail":
                interaction = Interaction(kind: .email, key: "<\(key)@mail.example>", occurredAt: record.observedAt,
                                          summary: "customer question")
            default:
                interaction = Interaction(kind: .order, key: "SO-" + key, occurredAt: record.observedAt,
                                          status: "paid", amount: Double(100 + Int(record.observedAt.timeIntervalSince1970) % 9_900) / 10,
                                          currency: "CNY")
            }
        }
        return SourceRecord(key: key, observedAt: record.observedAt, fields: fields, interaction: interaction,
                            origin: "eval \(key)")
    }
}

/// Where each applied record ended up: `applied_records.customer_code`, followed through
/// `customers.merged_into` to the surviving customer.
struct FinalCustomers {
    private var recordCustomer: [String: String] = [:]
    private var mergedInto: [String: String] = [:]

    init(connection: SQLiteConnection, keyPrefix: String? = nil) throws {
        try connection.statement("SELECT source_key, customer_code FROM applied_records").forEach { row in
            guard let key = row.string(0), let code = row.string(1) else { return }
            if let keyPrefix, !key.hasPrefix(keyPrefix) { return }
            recordCustomer[key] = code
        }
        try connection.statement("SELECT code, merged_into FROM customers WHERE merged_into IS NOT NULL").forEach { row in
            if let code = row.string(0), let into = row.string(1) { mergedInto[code] = into }
        }
    }

    /// The surviving customer of `code` (chains are followed; a cycle stops where it closes).
    func survivor(_ code: String) -> String {
        var current = code
        var hops = 0
        while let next = mergedInto[current], next != current, hops < 64 {
            current = next
            hops += 1
        }
        return current
    }

    /// The surviving customer of the record with source key `key`; nil if it was not applied.
    func customer(ofKey key: String) -> String? { recordCustomer[key].map(survivor) }

    var mergedCount: Int { mergedInto.count }
}
