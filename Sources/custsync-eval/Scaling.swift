import CustSyncCore
import Foundation

enum FillMode: String {
    /// Through the engine (`StoreWriter.apply`), in large batches: every table the engine keeps
    /// is filled exactly as in production.
    case engine
    /// Plain SQL inserts into `customers`, `field_values`, `identifiers`, `applied_records` and
    /// (when the schema has it) `match_keys`: fast whatever the engine costs, but only as
    /// faithful as this copy of what the engine writes.
    case sql
    /// The engine while it looks like finishing within the fill budget, SQL for the rest.
    case auto
}

struct ScalingOptions {
    var sizes: [Int]
    /// Records of new persons, and as many of persons already in the store.
    var incoming: Int
    var fill: FillMode
    var fillBatch: Int
    /// Seconds the engine may take to fill one store in `auto` mode: after each batch, the
    /// fill goes on through the engine only if the last batch's rate would finish in time.
    var fillBudget: Double
    var batchSize: Int
    /// Incoming records applied before the timing starts.
    var warmup: Int
    /// Seconds the timed matching may take per store; it stops after the batch that passes it.
    var matchBudget: Double
    var seed: UInt64
    var work: String
    var keep: Bool
}

struct ScalingResult {
    var size = 0
    var fillSeconds = 0.0
    var fillRejected = 0
    /// Whether the store was a copy of one filled by an earlier run (--keep).
    var fillKept = false
    var filledByEngine = 0
    var engineFillSeconds = 0.0
    var applySeconds = 0.0
    /// Incoming records applied untimed first, and the timed ones after them.
    var warmup = 0
    var incoming = 0
    var incomingPlanned = 0
    var existingRight = 0, existingNew = 0, existingOther = 0, existingTotal = 0
    var newCreated = 0, newAttached = 0, newTotal = 0
    var storeMegabytes = 0.0
    /// What identity resolution did for the timed records, and the time it took (inside
    /// `applySeconds`).
    var resolution = ResolutionCost()
    /// Pages the writer's page cache missed during the whole timed apply.
    var applyPageMisses = 0
    var microsPerRecord: Double { incoming > 0 ? applySeconds * 1e6 / Double(incoming) : 0 }
    var resolutionMicrosPerRecord: Double {
        resolution.records > 0 ? resolution.time.seconds * 1e6 / Double(resolution.records) : 0
    }
    /// `count` per record identity resolution decided.
    func perResolved(_ count: Int) -> String { fixed(Double(count) / Double(max(resolution.records, 1)), 2) }
}

/// Fills a store with `size` customers, then times matching incoming records against it.
func runScaling(_ options: ScalingOptions) throws -> [ScalingResult] {
    var results: [ScalingResult] = []
    for size in options.sizes {
        results.append(try measure(size: size, options: options))
    }
    print("## identity matching cost vs store size\n")
    print("Each store is filled with one record per person of a generated population (fill: \(options.fill.rawValue); "
          + "engine fills use batches of \(options.fillBatch)), then \(options.incoming) records of new persons and "
          + "\(options.incoming) records of persons already in the store (another source, other spellings), shuffled, "
          + "are applied through the `StoreWriter` in batches of \(options.batchSize); after the first \(options.warmup), "
          + "applied untimed (a fresh writer meets its code, statements and caches cold), they are timed twice: identity "
          + "resolution alone (deterministic keys, blocking, scoring: the engine's own clock around it), and the "
          + "whole apply (normalize, match, write, journal). The timed part stops after the batch that passes "
          + "\(fixed(options.matchBudget, 0)) s.\n")
    print("| customers in store | fill | incoming timed | µs per record: identity resolution | µs per record: whole apply | existing persons: own customer / new customer / another customer | new persons: new customer / attached to an existing one | store file |")
    print("|---|---|---|---|---|---|---|---|")
    var work = "| customers in store | per record resolved: index lookups | candidates scored | profiles read | "
        + "page-cache misses | per record applied: page-cache misses |\n|---|---|---|---|---|---|\n"
    for r in results {
        work += "| \(r.size) | \(r.perResolved(r.resolution.lookups)) | \(r.perResolved(r.resolution.candidates)) | "
            + "\(r.perResolved(r.resolution.profiles)) | \(r.perResolved(r.resolution.pageMisses)) | "
            + "\(fixed(Double(r.applyPageMisses) / Double(max(r.incoming, 1)), 2)) |\n"
    }
    for r in results {
        var fill = fixed(r.fillSeconds, 1) + " s: "
        if r.fillKept {
            fill = "copy of an earlier run's fill"
        } else if r.filledByEngine == r.size {
            fill += "engine (\(fixed(Double(r.size) / max(r.engineFillSeconds, 1e-9), 0))/s)"
        } else if r.filledByEngine > 0 {
            fill += "engine \(r.filledByEngine) (\(fixed(Double(r.filledByEngine) / max(r.engineFillSeconds, 1e-9), 0))/s, "
                + "budget spent) + sql \(r.size - r.filledByEngine)"
        } else {
            fill += "sql"
        }
        if r.fillRejected > 0 { fill += ", \(r.fillRejected) rejected" }
        print("| \(r.size) | \(fill) | \(r.incoming) of \(r.incomingPlanned) (after \(r.warmup) untimed) | **\(fixed(r.resolutionMicrosPerRecord, 0))** | "
              + "\(fixed(r.microsPerRecord, 0)) | "
              + "\(r.existingRight) / \(r.existingNew) / \(r.existingOther) | \(r.newCreated) / \(r.newAttached) | "
              + "\(fixed(r.storeMegabytes, 0)) MB |")
    }
    print("\nThe work behind those times (the same on a busy or an idle machine):\n")
    print(work, terminator: "")
    if results.count >= 2, let small = results.first, let big = results.last, small.microsPerRecord > 0,
       small.resolutionMicrosPerRecord > 0 {
        print("\nidentity resolution at \(big.size) / at \(small.size): "
              + "**\(fixed(big.resolutionMicrosPerRecord / small.resolutionMicrosPerRecord, 2))** (goal: about 1); "
              + "whole apply: \(fixed(big.microsPerRecord / small.microsPerRecord, 2)) (larger b-trees: most index "
              + "pages an insert or lookup needs are not in the page cache, see the misses above)")
    }
    print()
    return results
}

private func measure(size: Int, options: ScalingOptions) throws -> ScalingResult {
    var result = ScalingResult(size: size)
    var generator = PopulationGenerator(seed: options.seed &+ UInt64(size))
    progress("scaling \(size): generating \(size + options.incoming) persons")
    let persons = generator.persons(count: size + options.incoming)

    var fillOrder = Array(0..<size)
    fillOrder.shuffle(using: &generator.rng)
    var fillIndexOfPerson = [Int](repeating: -1, count: size)
    var fillRecords: [GenRecord] = []
    fillRecords.reserveCapacity(size)
    for (index, person) in fillOrder.enumerated() {
        fillIndexOfPerson[person] = index
        fillRecords.append(generator.record(for: persons[person]))
    }
    let fillKeys = fillRecords.indices.map { "F" + String(format: "%08d", $0) }

    // Incoming: new persons, and distinct persons already in the store.
    var incoming: [GenRecord] = []
    for person in size..<(size + options.incoming) { incoming.append(generator.record(for: persons[person])) }
    var chosen = Set<Int>()
    while chosen.count < min(options.incoming, size) { chosen.insert(generator.rng.int(0...(size - 1))) }
    for person in chosen.sorted() { incoming.append(generator.record(for: persons[person])) }
    incoming.shuffle(using: &generator.rng)
    let incomingKeys = incoming.indices.map { "N" + String(format: "%07d", $0) }

    let path = (options.work as NSString).appendingPathComponent("scale-\(size).db")
    // With --keep, the filled store is kept beside it and later runs start from a copy.
    let filled = (options.work as NSString)
        .appendingPathComponent("scale-\(size)-seed\(options.seed)-incoming\(options.incoming)-\(options.fill.rawValue).filled.db")
    removeStore(path)
    if options.keep && FileManager.default.fileExists(atPath: filled) {
        progress("scaling \(size): starting from a copy of \(filled), kept by an earlier run")
        try FileManager.default.copyItem(atPath: filled, toPath: path)
        result.fillKept = true
    } else {
        progress("scaling \(size): filling (\(options.fill.rawValue))")
        try fillStore(path: path, records: fillRecords, keys: fillKeys, options: options, result: &result)
    }
    let writer = try StoreWriter(path: path, settings: EngineSettings())
    try writer.perform { engine in try engine.connection.execute("PRAGMA wal_checkpoint(TRUNCATE)") }
    if options.keep && !result.fillKept {
        removeStore(filled)
        try FileManager.default.copyItem(atPath: path, toPath: filled)
    }

    // The first batches through a fresh writer pay for code, statements and caches met for the
    // first time (the sql fill leaves all of them cold): they are applied, but not timed.
    let feeder = RecordFeeder(writer: writer, batchSize: options.batchSize, withInteractions: true)
    let warmup = min(options.warmup, incoming.count / 2)
    progress("scaling \(size): \(warmup) incoming records untimed, then \(incoming.count - warmup) timed")
    _ = try feeder.apply(Array(incoming.prefix(warmup)), keys: Array(incomingKeys.prefix(warmup))) { _, _ in false }
    let resolvedBefore = try writer.perform { $0.identityResolution }
    let missesBefore = try writer.perform { $0.connection.pageCacheMisses }
    let totals = try feeder.apply(Array(incoming.dropFirst(warmup)), keys: Array(incomingKeys.dropFirst(warmup))) { _, seconds in
        seconds > options.matchBudget
    }
    result.applyPageMisses = try writer.perform { $0.connection.pageCacheMisses } - missesBefore
    result.resolution = try writer.perform { $0.identityResolution } - resolvedBefore
    result.applySeconds = totals.seconds
    result.warmup = warmup
    result.incoming = totals.records
    result.incomingPlanned = incoming.count - warmup

    let reader = try StoreReader(path: path)
    let final = try FinalCustomers(connection: reader.connection)
    var fillCustomers = Set<String>()
    fillCustomers.reserveCapacity(size)
    for key in fillKeys { if let code = final.customer(ofKey: key) { fillCustomers.insert(code) } }
    for (index, record) in incoming.prefix(warmup + result.incoming).enumerated() {
        let code = final.customer(ofKey: incomingKeys[index])
        if record.person < size {
            result.existingTotal += 1
            let own = final.customer(ofKey: fillKeys[fillIndexOfPerson[record.person]])
            if let code, code == own {
                result.existingRight += 1
            } else if let code, fillCustomers.contains(code) {
                result.existingOther += 1
            } else {
                result.existingNew += 1
            }
        } else {
            result.newTotal += 1
            if let code, fillCustomers.contains(code) { result.newAttached += 1 } else { result.newCreated += 1 }
        }
    }
    let bytes = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)??.doubleValue ?? 0
    result.storeMegabytes = bytes / 1_048_576
    if !options.keep { removeStore(path) }
    return result
}

/// Fills the store at `path` with one customer per record, through the engine or SQL as
/// `options.fill` says, and notes how in `result`.
private func fillStore(path: String, records fillRecords: [GenRecord], keys fillKeys: [String], options: ScalingOptions,
                       result: inout ScalingResult) throws {
    let fillStart = Date()
    if options.fill != .sql {
        let writer = try StoreWriter(path: path, settings: EngineSettings())
        var last = (applied: 0, seconds: 0.0)
        let totals = try RecordFeeder(writer: writer, batchSize: options.fillBatch, withInteractions: false)
            .apply(fillRecords, keys: fillKeys) { applied, seconds in
                defer { last = (applied, seconds) }
                guard options.fill == .auto, applied < fillRecords.count else { return false }
                let rate = Double(applied - last.applied) / max(seconds - last.seconds, 1e-6)
                return seconds + Double(fillRecords.count - applied) / rate > options.fillBudget
            }
        result.filledByEngine = totals.records
        result.engineFillSeconds = totals.seconds
        result.fillRejected += totals.outcome.rejected
    }
    if result.filledByEngine < fillRecords.count {
        progress("scaling \(fillRecords.count): filling \(fillRecords.count - result.filledByEngine) customers with SQL")
        result.fillRejected += try sqlFill(path: path, records: fillRecords, keys: fillKeys, from: result.filledByEngine)
    }
    result.fillSeconds = Date().timeIntervalSince(fillStart)
}

/// Inserts one customer per record of `records[from...]` the way the engine stores a new
/// customer, without the engine, on a connection of its own (large cache, no syncs); returns
/// how many records had nothing valid to store. `match_keys` (when the schema has it) gets the
/// blocking keys `MatchProfile.blockingKeys` derives today: the name's match key, the phone's
/// last 8 digits, the e-mail's local part. Index rows are inserted sorted, which is what makes
/// a million of them fast.
private func sqlFill(path: String, records: [GenRecord], keys: [String], from first: Int) throws -> Int {
    let settings = EngineSettings()
    let db = try StoreFile.openForWriting(path: path)
    try db.execute("PRAGMA cache_size=-524288")
    try db.execute("PRAGMA synchronous=OFF")
    var rejected = 0
    var seq = try db.scalarInt("SELECT value FROM counters WHERE name = 'customer_seq'") ?? 0
    let hasMatchKeys = (try db.scalarInt("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'match_keys'") ?? 0) > 0
    let genericLocalParts: Set<String> = ["info", "admin", "service", "support", "sales", "contact", "office", "mail", "noreply"]
    struct IndexRow: Comparable {
        var kind: String, value: String, code: String, source: String
        static func < (a: IndexRow, b: IndexRow) -> Bool { (a.kind, a.value, a.code) < (b.kind, b.value, b.code) }
    }
    var identifiers: [IndexRow] = [], blocks: [IndexRow] = []
    let now = Date()
    for chunkStart in stride(from: first, to: records.count, by: 50_000) {
        try db.transaction {
            for index in chunkStart..<min(records.count, chunkStart + 50_000) {
                let record = records[index]
                var fields: [CanonicalField: String] = [:]
                var phoneKey: String?, emailKey: String?, nameKey: String?
                if let raw = record.name, let name = try? PersonName(parsing: TextFolding.fold(raw)) {
                    fields[.name] = name.display
                    nameKey = name.matchKey
                }
                if let raw = record.phone,
                   let phone = try? PhoneNumber(parsing: TextFolding.fold(raw), defaultRegion: settings.defaultRegion) {
                    fields[.phone] = phone.description
                    phoneKey = phone.e164
                }
                if let raw = record.email,
                   let email = try? EmailAddress(parsing: TextFolding.fold(raw),
                                                 ignoreDotsDomains: settings.emailIgnoreDotsDomains,
                                                 stripPlusTagDomains: settings.emailStripPlusTagDomains) {
                    fields[.email] = email.normalized
                    emailKey = email.normalized
                }
                guard !fields.isEmpty else {
                    rejected += 1
                    if rejected <= 3 { progress("sql fill: nothing valid in " + Report.describe(record)) }
                    continue
                }
                seq += 1
                let code = settings.codeRule.render(seq: seq, fields: fields)
                try db.prepared("""
                    INSERT INTO customers(code, name, email, phone, created_at, updated_at) VALUES (?,?,?,?,?,?)
                    """).run([code, fields[.name], fields[.email], fields[.phone], now, now])
                for (field, value) in fields {
                    try db.prepared("""
                        INSERT INTO field_values(customer_code, field, source, value, observed_at, recorded_at, chosen_by)
                        VALUES (?,?,?,?,?,?,'first-value')
                        """).run([code, field.rawValue, record.source, value, record.observedAt, now])
                }
                try db.prepared("""
                    INSERT INTO applied_records(source, source_key, content_hash, customer_code, applied_at)
                    VALUES (?,?,'sql-fill',?,?)
                    """).run([record.source, keys[index], code, now])
                if let emailKey { identifiers.append(IndexRow(kind: "email", value: emailKey, code: code, source: record.source)) }
                if let phoneKey { identifiers.append(IndexRow(kind: "phone", value: phoneKey, code: code, source: record.source)) }
                guard hasMatchKeys else { continue }
                if let nameKey, !nameKey.isEmpty {
                    blocks.append(IndexRow(kind: "name", value: nameKey, code: code, source: ""))
                }
                if let phoneKey, phoneKey.count >= 8 {
                    blocks.append(IndexRow(kind: "phone-suffix", value: String(phoneKey.suffix(8)), code: code, source: ""))
                }
                if let emailKey {
                    let local = String(emailKey.prefix { $0 != "@" })
                    if local.count >= 3 && !genericLocalParts.contains(local) {
                        blocks.append(IndexRow(kind: "email-local", value: local, code: code, source: ""))
                    }
                }
            }
            try db.prepared("UPDATE counters SET value = ? WHERE name = 'customer_seq'").run([seq])
        }
    }
    identifiers.sort()
    blocks.sort()
    for chunkStart in stride(from: 0, to: identifiers.count, by: 200_000) {
        try db.transaction {
            for row in identifiers[chunkStart..<min(identifiers.count, chunkStart + 200_000)] {
                try db.prepared("""
                    INSERT OR IGNORE INTO identifiers(kind, value, customer_code, source, first_seen) VALUES (?,?,?,?,?)
                    """).run([row.kind, row.value, row.code, row.source, now])
            }
        }
    }
    for chunkStart in stride(from: 0, to: blocks.count, by: 200_000) {
        try db.transaction {
            for row in blocks[chunkStart..<min(blocks.count, chunkStart + 200_000)] {
                try db.statement("INSERT OR IGNORE INTO match_keys(kind, value, customer_code) VALUES (?,?,?)")
                    .run([row.kind, row.value, row.code])
            }
        }
    }
    try db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return rejected
}

func removeStore(_ path: String) {
    for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
}
