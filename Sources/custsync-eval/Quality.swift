import CustSyncCore
import Foundation

struct QualityOptions {
    var persons: Int
    var seed: UInt64
    var batchSize: Int
    var storePath: String
}

/// Record pairs: n·(n−1)/2.
func pairs(_ n: Int) -> Int { n * (n - 1) / 2 }

/// Generates the population, applies it through a real `StoreWriter` on a fresh store, reads
/// back where every record ended up and prints pairwise precision, recall and F1.
func runQuality(_ options: QualityOptions) throws {
    var generator = PopulationGenerator(seed: options.seed)
    let persons = generator.persons(count: options.persons)
    var records: [GenRecord] = []
    records.reserveCapacity(options.persons * 3)
    for person in persons { records += generator.records(for: person) }
    records.shuffle(using: &generator.rng)
    // Opaque source keys: the engine learns nothing from them (the ground truth stays here).
    let keys = records.indices.map { sourcePrefix(records[$0].source) + String(format: "%07d", $0) }
    let stats = generator.stats

    progress("quality: applying \(records.count) records of \(persons.count) persons")
    let writer = try StoreWriter(path: options.storePath, settings: EngineSettings())
    let totals = try RecordFeeder(writer: writer, batchSize: options.batchSize, withInteractions: true)
        .apply(records, keys: keys)

    let reader = try StoreReader(path: options.storePath)
    let db = reader.connection
    let final = try FinalCustomers(connection: db)

    // Final customer of each record as a small integer; a rejected record is its own cluster.
    var clusterOfCode: [String: Int] = [:]
    var codeOfCluster: [String] = []
    var cluster = [Int](repeating: 0, count: records.count)
    var rejectedRecords = 0
    for index in records.indices {
        if let code = final.customer(ofKey: keys[index]) {
            if let known = clusterOfCode[code] {
                cluster[index] = known
            } else {
                clusterOfCode[code] = codeOfCluster.count
                cluster[index] = codeOfCluster.count
                codeOfCluster.append(code)
            }
        } else {
            rejectedRecords += 1
            cluster[index] = -1 - index
        }
    }

    // Pairwise scores from the (person, customer) contingency table.
    struct Cell: Hashable { let person: Int; let cluster: Int }
    var cells: [Cell: Int] = [:]
    var byPerson: [Int: [Int]] = [:]
    var byCluster: [Int: [Int]] = [:]
    for index in records.indices {
        cells[Cell(person: records[index].person, cluster: cluster[index]), default: 0] += 1
        byPerson[records[index].person, default: []].append(index)
        byCluster[cluster[index], default: []].append(index)
    }
    let truePositives = cells.values.reduce(0) { $0 + pairs($1) }
    let truePairs = byPerson.values.reduce(0) { $0 + pairs($1.count) }
    let predictedPairs = byCluster.values.reduce(0) { $0 + pairs($1.count) }
    let precision = predictedPairs > 0 ? Double(truePositives) / Double(predictedPairs) : 1
    let recall = truePairs > 0 ? Double(truePositives) / Double(truePairs) : 1
    let f1 = precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0

    let names: [PersonName?] = records.map { record in record.name.flatMap { try? PersonName(parsing: $0) } }

    // What an error-free engine could reach: linking a person's records by exact e-mail/phone
    // only, and also by an exact name (match key) that no other person in the set writes.
    var ownerOfName: [String: Int] = [:]  // match key → its only person, or -1 for several
    for index in records.indices {
        guard let key = names[index]?.matchKey else { continue }
        if let owner = ownerOfName[key], owner != records[index].person { ownerOfName[key] = -1 }
        if ownerOfName[key] == nil { ownerOfName[key] = records[index].person }
    }
    func reachablePairs(uniqueNames: Bool) -> Int {
        var total = 0
        for members in byPerson.values {
            var parent = Array(members.indices)
            func root(_ i: Int) -> Int { var i = i; while parent[i] != i { i = parent[i] }; return i }
            for a in members.indices {
                for b in members.indices where b > a {
                    let (x, y) = (records[members[a]], records[members[b]])
                    var linked = (x.emailKey != nil && x.emailKey == y.emailKey) || (x.phoneKey != nil && x.phoneKey == y.phoneKey)
                    if uniqueNames, !linked, let key = names[members[a]]?.matchKey, key == names[members[b]]?.matchKey {
                        linked = ownerOfName[key] == x.person
                    }
                    if linked { parent[root(b)] = root(a) }
                }
            }
            var sizes: [Int: Int] = [:]
            for i in members.indices { sizes[root(i), default: 0] += 1 }
            total += sizes.values.reduce(0) { $0 + pairs($1) }
        }
        return total
    }
    let keyReachablePairs = reachablePairs(uniqueNames: false)
    let nameReachablePairs = reachablePairs(uniqueNames: true)
    let ceiling = EvidenceCeiling(records: records, byPerson: byPerson)
    let apartPairs = truePairs - ceiling.linkedPairs
    func nameScore(_ a: Int, _ b: Int) -> Double? {
        guard let x = names[a], let y = names[b] else { return nil }
        return NameSimilarity.score(x, y)
    }

    // Wrong merges: record pairs of different persons in one customer, by what they share.
    var wrongCauses: [String: Int] = [:]
    var impure: [(cluster: Int, wrong: Int, persons: Int)] = []
    for (id, members) in byCluster where members.count > 1 {
        let perPerson = Dictionary(grouping: members) { records[$0].person }
        guard perPerson.count > 1 else { continue }
        let wrong = pairs(members.count) - perPerson.values.reduce(0) { $0 + pairs($1.count) }
        impure.append((id, wrong, perPerson.count))
        guard members.count <= 400 else {
            wrongCauses["(customer of \(members.count) records, not classified)", default: 0] += wrong
            continue
        }
        for a in members.indices {
            for b in members.indices where b > a && records[members[a]].person != records[members[b]].person {
                let (i, j) = (members[a], members[b])
                let (x, y) = (records[i], records[j])
                let score = nameScore(i, j)
                let cause: String
                if x.emailKey != nil && x.emailKey == y.emailKey {
                    cause = "same e-mail"
                } else if x.phoneKey != nil && x.phoneKey == y.phoneKey {
                    if score == 1 {
                        cause = "same phone, same name"
                    } else if let first = names[i], let second = names[j], first.isCJK == second.isCJK {
                        cause = "same phone (shared by a household), different names in one script"
                    } else {
                        cause = "same phone (shared by a household), names in different scripts or one missing"
                    }
                } else if score == 1 {
                    cause = "same name, no shared phone or e-mail (namesakes)"
                } else if let score, score >= 0.85 {
                    cause = "similar names (score ≥ 0.85), no shared phone or e-mail"
                } else {
                    cause = "nothing shared (joined through other records)"
                }
                wrongCauses[cause, default: 0] += 1
            }
        }
    }

    // Missed merges: record pairs of one person in different customers, by what they share.
    var missedCauses: [String: Int] = [:]
    var missedByNote: [String: Int] = [:]
    var missedExamples: [String: [(Int, Int)]] = [:]
    for person in byPerson.keys.sorted() {
        let members = byPerson[person]!
        for a in members.indices {
            for b in members.indices where b > a && cluster[members[a]] != cluster[members[b]] {
                let (i, j) = (members[a], members[b])
                let (x, y) = (records[i], records[j])
                let score = nameScore(i, j)
                let household = persons[person].householdPhone?.e164
                let cause: String
                if cluster[i] < 0 || cluster[j] < 0 {
                    cause = "a record was rejected"
                } else if x.emailKey != nil && x.emailKey == y.emailKey {
                    cause = "same e-mail"
                } else if x.phoneKey != nil && x.phoneKey == y.phoneKey {
                    if x.phoneKey == household {
                        cause = score == 1 ? "same household phone, same name" : "same household phone, names differ or missing"
                    } else {
                        cause = score == 1 ? "same own phone, same name" : "same own phone, names differ or missing"
                    }
                } else if score == 1 {
                    cause = "same name only (other phone/e-mail)"
                } else if let score, score >= 0.85 {
                    cause = "similar name only (score ≥ 0.85)"
                } else {
                    cause = "nothing in common (other phone/e-mail, name missing, other script or different)"
                }
                missedCauses[cause, default: 0] += 1
                for note in Set(x.notes + y.notes) { missedByNote[note, default: 0] += 1 }
                if missedExamples[cause, default: []].count < 2 { missedExamples[cause, default: []].append((i, j)) }
            }
        }
    }

    // Store counts.
    let customersCreated = try db.scalarInt("SELECT count(*) FROM customers") ?? 0
    let liveCustomers = try db.scalarInt("SELECT count(*) FROM customers WHERE merged_into IS NULL") ?? 0
    let openCandidates = try db.statement("""
        SELECT customer_code, other_code FROM conflicts WHERE kind = 'merge-candidate' AND status = 'open'
        """).rows()
    var candidatesSamePerson = 0
    // The scores if a reviewer accepted every open merge candidate.
    var acceptedParent: [Int: Int] = [:]
    func acceptedRoot(_ c: Int) -> Int {
        var c = c
        while let next = acceptedParent[c], next != c { c = next }
        return c
    }
    for row in openCandidates {
        guard let a = row.string(0).map(final.survivor).flatMap({ clusterOfCode[$0] }),
              let b = row.string(1).map(final.survivor).flatMap({ clusterOfCode[$0] }) else { continue }
        let left = Set(byCluster[a, default: []].map { records[$0].person })
        if byCluster[b, default: []].contains(where: { left.contains(records[$0].person) }) { candidatesSamePerson += 1 }
        let (ra, rb) = (acceptedRoot(a), acceptedRoot(b))
        if ra != rb { acceptedParent[rb] = ra }
    }
    var acceptedCells: [Cell: Int] = [:]
    var acceptedSizes: [Int: Int] = [:]
    for index in records.indices {
        let root = acceptedRoot(cluster[index])
        acceptedCells[Cell(person: records[index].person, cluster: root), default: 0] += 1
        acceptedSizes[root, default: 0] += 1
    }
    let acceptedTP = acceptedCells.values.reduce(0) { $0 + pairs($1) }
    let acceptedPredicted = acceptedSizes.values.reduce(0) { $0 + pairs($1) }
    let acceptedPrecision = acceptedPredicted > 0 ? Double(acceptedTP) / Double(acceptedPredicted) : 1
    let acceptedRecall = truePairs > 0 ? Double(acceptedTP) / Double(truePairs) : 1
    let acceptedF1 = acceptedPrecision + acceptedRecall > 0
        ? 2 * acceptedPrecision * acceptedRecall / (acceptedPrecision + acceptedRecall) : 0
    let fieldConflicts = try db.scalarInt("SELECT count(*) FROM conflicts WHERE kind = 'field' AND status = 'open'") ?? 0
    let quarantineReasons = try db.statement("""
        SELECT reason, count(*) FROM quarantine GROUP BY reason ORDER BY 2 DESC LIMIT 5
        """).rows()

    // Report.
    var bySource: [String: Int] = [:]
    var noise: [String: Int] = [:]
    for record in records {
        bySource[record.source, default: 0] += 1
        for note in record.notes { noise[note, default: 0] += 1 }
    }
    print("## identity resolution quality (seed \(options.seed), \(options.persons) persons)\n")
    print("- population: \(persons.count) true persons (\(stats.chinese) Chinese names, \(stats.pinyin) going by pinyin, "
          + "\(stats.western) Latin names), \(stats.households) households sharing a phone (\(stats.householdMembers) persons), "
          + "\(stats.namesakePairs) explicit namesakes, \(stats.withEmail) with an e-mail")
    print("- records: \(records.count) (" + Report.list(bySource) + ")")
    print("- noise: " + Report.list(noise))
    print(String(format: "- apply: %d records in %d batches of ≤ %d in %.1f s: **%.0f records/s** "
                 + "(applied %d, created %d, rejected %d, unchanged %d)",
                 totals.records, totals.batches, options.batchSize, totals.seconds, totals.rate,
                 totals.outcome.applied, totals.outcome.created, totals.outcome.rejected, totals.outcome.unchanged))
    print("- store: \(customersCreated) customers created, \(liveCustomers) live (\(final.mergedCount) merged into another), "
          + "\(codeOfCluster.count) customers hold the records; open merge candidates: \(openCandidates.count) "
          + "(\(candidatesSamePerson) of them really one person); open field conflicts: \(fieldConflicts)")
    if rejectedRecords > 0 {
        print("- \(rejectedRecords) records not applied (each counted as a customer of its own); by reason: "
              + quarantineReasons.map { "\($0.string(0) ?? "?") ×\($0.int(1) ?? 0)" }.joined(separator: "; "))
    }
    print()
    print("| metric | value | goal |")
    print("|---|---|---|")
    print("| pairwise precision | \(fixed(precision, 4)) | ≥ 0.995 " + (precision >= 0.995 ? "met" : "**not met**") + " |")
    print(String(format: "| pairwise recall | %.4f | — |", recall))
    print("| pairwise F1 | \(fixed(f1, 4)) | ≥ 0.98 " + (f1 >= 0.98 ? "met" : "**not met**") + " |")
    print("| record pairs: same person / same customer / both | \(truePairs) / \(predictedPairs) / \(truePositives) | — |")
    print("| recall reachable by exact e-mail/phone links alone | \(fixed(Double(keyReachablePairs) / Double(max(truePairs, 1)), 4)) | (reference) |")
    print("| … plus exact names no other person in the set has | \(fixed(Double(nameReachablePairs) / Double(max(truePairs, 1)), 4)) | (reference) |")
    print("| ORACLE ceiling: one person's records linked by any shared phone (own or household), e-mail or name "
          + "(any script or order), transitively; ground truth only forbids links between persons "
          + "| \(fixed(Double(ceiling.linkedPairs) / Double(max(truePairs, 1)), 4)) | (reference) |")
    print("| … the same oracle, a name counting only if no other person in the set writes it (any script) "
          + "| \(fixed(Double(ceiling.linkedByUniqueNamesPairs) / Double(max(truePairs, 1)), 4)) | (reference) |")
    print("| true pairs between record groups of one person that share nothing at all (no matcher can join them) "
          + "| \(apartPairs) (\(fixed(100 * Double(apartPairs) / Double(max(truePairs, 1)), 2))%) | (reference) |")
    print("| P / R / F1 if every open merge candidate were accepted | \(fixed(acceptedPrecision, 4)) / "
          + "\(fixed(acceptedRecall, 4)) / \(fixed(acceptedF1, 4)) | (reference) |")
    print()
    print("true pairs the oracle leaves apart, by what their records lack:\n")
    print(Report.table(ceiling.apart, header: "why the two records share nothing"))
    print("\n### wrong merges: \(predictedPairs - truePositives) record pairs of different persons in \(impure.count) customers\n")
    print(Report.table(wrongCauses, header: "what the two records share"))
    impure.sort { ($0.wrong, $0.cluster) > ($1.wrong, $1.cluster) }
    if !impure.isEmpty {
        print("\nworst \(min(10, impure.count)) (records grouped by true person; notes in brackets):\n")
    }
    for (rank, entry) in impure.prefix(10).enumerated() {
        let members = byCluster[entry.cluster]!
        print("\(rank + 1). \(codeOfCluster[entry.cluster]): \(members.count) records of \(entry.persons) persons, "
              + "\(entry.wrong) wrong pairs")
        let grouped = Dictionary(grouping: members) { records[$0].person }
        for person in grouped.keys.sorted().prefix(6) {
            let p = persons[person]
            let about = p.household.map { " household \($0)" } ?? ""
            print("   - person \(person) \(p.displayName)\(about):")
            for index in grouped[person]!.prefix(4) { print("     - " + Report.describe(records[index])) }
        }
        if grouped.count > 6 { print("   - … \(grouped.count - 6) more persons") }
    }
    print("\n### missed merges: \(truePairs - truePositives) record pairs of one person in different customers\n")
    print(Report.table(missedCauses, header: "what the two records share"))
    print("\nmissed pairs with a record of this kind of noise: " + Report.list(missedByNote))
    print("\nexamples:\n")
    for cause in missedCauses.keys.sorted() {
        for (i, j) in missedExamples[cause] ?? [] {
            print("- \(cause): person \(records[i].person) \(persons[records[i].person].displayName): "
                  + Report.describe(records[i]) + " ↔ " + Report.describe(records[j]))
        }
    }
    print()
}

/// `value` with `places` decimals.
func fixed(_ value: Double, _ places: Int) -> String { String(format: "%.\(places)f", value) }

func sourcePrefix(_ source: String) -> String {
    switch source {
    case "callcenter": "C"
    case "mail": "M"
    default: "O"
    }
}

func progress(_ message: String) {
    FileHandle.standardError.write(Data("[eval] \(message)\n".utf8))
}

/// Formatting helpers of the report.
enum Report {
    /// `a 3, b 2` by count, largest first.
    static func list(_ counts: [String: Int]) -> String {
        counts.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.map { "\($0.key) \($0.value)" }
            .joined(separator: ", ")
    }

    /// A two-column Markdown table of `counts`, largest first.
    static func table(_ counts: [String: Int], header: String) -> String {
        guard !counts.isEmpty else { return "(none)" }
        let total = counts.values.reduce(0, +)
        var lines = ["| \(header) | pairs | share |", "|---|---|---|"]
        for (cause, count) in counts.sorted(by: { ($0.value, $1.key) > ($1.value, $0.key) }) {
            lines.append("| \(cause) | \(count) | \(fixed(100 * Double(count) / Double(total), 1))% |")
        }
        return lines.joined(separator: "\n")
    }

    /// One record as the engine saw it, for people.
    static func describe(_ record: GenRecord) -> String {
        var parts = ["\(record.source)", "name " + quoted(record.name), "phone " + quoted(record.phone),
                     "e-mail " + quoted(record.email)]
        if !record.notes.isEmpty { parts.append("[" + record.notes.joined(separator: ", ") + "]") }
        return parts.joined(separator: " · ")
    }

    static func quoted(_ value: String?) -> String { value.map { "`\($0)`" } ?? "—" }
}
