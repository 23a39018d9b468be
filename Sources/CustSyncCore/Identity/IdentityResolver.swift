import Foundation

/// Decides which customer a record belongs to.
///
/// 1. Deterministic keys: the record's source key (the customer an earlier record with the same
///    source and key went to), then its normalized e-mail, then its normalized phone. An e-mail or
///    phone only counts when the names do not contradict it — a family shares a phone, two
///    people called 张伟 do not share a customer record.
/// 2. When the keys point at several customers whose names agree closely, they are the same
///    person: the others are merged into the first (which, without a name of its own, is
///    compared by the record's). When the names agree less, a merge candidate is opened for
///    review instead.
/// 3. Without a deterministic match, fuzzy matching scores the customers that share a blocking
///    key (phone suffix, e-mail local part; the name only when it can matter): at or above
///    `autoMergeScore` the record goes to the best one; between `reviewScore` and that, a new
///    customer is created and a merge candidate opened; below, a new customer.
final class IdentityResolver {
    let connection: SQLiteConnection
    /// Keys the store cannot hold are not searched for.
    let presence: KeyPresence
    let autoMergeScore: Double
    let reviewScore: Double
    /// Customers read while resolving one record (a customer holding both the record's phone
    /// and e-mail is read once): their current values, with the current name as stored, and
    /// the profiles that add the other names their sources gave them.
    private var currentProfiles: [String: (profile: MatchProfile, storedName: String?)?] = [:]
    private var profiles: [String: MatchProfile?] = [:]
    /// Index searches run, customers scored and profiles read (see `ResolutionCost`).
    private(set) var lookups = 0
    private(set) var candidatesScored = 0
    private(set) var profilesRead = 0

    init(connection: SQLiteConnection, presence: KeyPresence, autoMergeScore: Double, reviewScore: Double) {
        self.connection = connection
        self.presence = presence
        self.autoMergeScore = autoMergeScore
        self.reviewScore = reviewScore
    }
    /// Names at least this similar let an e-mail match stand (an address is personal).
    static let compatibleName = 0.75
    /// A phone is often shared by a household, so a phone match needs more: names at least
    /// this similar (family members share a surname and score 0.8–0.88), in one script or
    /// spelled alike in pinyin.
    static let compatiblePhoneName = 0.88
    /// Names at least this similar let two customers found by keys be merged without review.
    static let mergeableName = 0.9
    /// Candidates read per blocking key: keeps matching cost bounded when a low `ReviewScore=`
    /// brings in the name block.
    static let candidatesPerKey = 25
    /// Other names a customer's sources gave it, kept in its match profile.
    static let otherNamesKept = 8

    func resolve(_ record: NormalizedRecord, sourceKeyCustomer: String?) throws -> IdentityMatch {
        let incoming = MatchProfile(record)
        var found: [(code: String, reason: String, name: NameMatch?)] = []
        if let sourceKeyCustomer { found.append((sourceKeyCustomer, "source", nil)) }

        var keys: [(kind: String, value: String)] = []
        if let email = record.email { keys.append(("email", email.normalized)) }
        if let phone = record.phone { keys.append(("phone", phone.e164)) }
        let holders = try customers(holding: keys)
        for key in keys {
            guard let codes = holders[key.kind]?.live, !codes.isEmpty else { continue }
            // The key points where the source key already does (a customer's next record):
            // comparing names could only add that customer again, so its profile is not read.
            if let sourceKeyCustomer, codes == [sourceKeyCustomer] { continue }
            // Among the holders (a shared phone has several), keep those whose name does not
            // contradict the record's, and prefer the closest name.
            var best: (code: String, similarity: Double?, name: NameMatch?)?
            var tie = false
            let compatible = key.kind == "phone" ? Self.compatiblePhoneName : Self.compatibleName
            for code in codes.sorted() {
                // A lone holder whose current name agrees is taken without reading the other
                // names its sources gave it (a page of another b-tree, rarely cached in a large
                // store): they could only raise the similarity, the best over all pairs, and
                // with no other holder to rank against, its exact value decides nothing.
                if codes.count == 1, let current = try currentProfile(of: code)?.profile,
                   let name = incoming.nameMatch(to: current), name.score >= compatible {
                    best = (code, name.score, name)
                    break
                }
                let candidate = try profile(of: code)
                let name = candidate.map { incoming.nameMatch(to: $0) } ?? nil
                let similarity = name?.score
                if let similarity, similarity < compatible { continue }
                // Two names that cannot be compared (different scripts) do not let a shared
                // phone decide on its own.
                if key.kind == "phone", similarity == nil, incoming.name != nil, candidate?.name != nil { continue }
                let rank = similarity ?? Self.compatibleName
                if let current = best {
                    let currentRank = current.similarity ?? Self.compatibleName
                    if rank > currentRank { best = (code, similarity, name); tie = false } else if rank == currentRank { tie = true }
                } else {
                    best = (code, similarity, name)
                }
            }
            if let best, !tie { found.append((best.code, key.kind, best.name)) }
        }

        if let first = found.first {
            var match = IdentityMatch(code: first.code, reason: "\(first.reason)=exact" + (first.name.map { ", name=\($0.description)" } ?? ""))
            match.heldKinds = Set(keys.map(\.kind).filter { holders[$0]?.direct.contains(first.code) == true })
            for other in found.dropFirst() where other.code != first.code {
                let reason = "\(first.reason) points at \(first.code), \(other.reason) at \(other.code)"
                if match.merges.contains(where: { $0.code == other.code }) { continue }
                if match.reviews.contains(where: { $0.code == other.code }) { match.contestedKinds.insert(other.reason); continue }
                let names = try namesMatch(first.code, other.code, speakingFor: incoming)
                if let names, names.score >= Self.mergeableName {
                    match.merges.append((other.code, reason + ", names=" + names.description))
                } else {
                    match.reviews.append((other.code, reason + (names.map { ", names=" + $0.description } ?? "")))
                    match.contestedKinds.insert(other.reason)
                }
            }
            return match
        }
        return try fuzzyMatch(incoming)
    }

    private func fuzzyMatch(_ incoming: MatchProfile) throws -> IdentityMatch {
        guard incoming.name != nil else { return IdentityMatch(code: nil, reason: "no match") }
        let blockingKeys = incoming.blockingKeys
        var scored: [(code: String, score: Double, reason: String)] = []
        for code in try candidates(sharing: blockingKeys) {
            guard let candidate = try profile(of: code) else { continue }
            candidatesScored += 1
            var (score, reason) = MatchScorer.score(incoming.evidence(against: candidate))
            score = (score * 1000).rounded() / 1000 // 0.6 + 0.32 must equal a configured 0.92
            if score >= reviewScore { scored.append((code, score, reason)) }
        }
        scored.sort { $0.score > $1.score || ($0.score == $1.score && $0.code < $1.code) }
        var match = IdentityMatch(code: nil, reason: "no match",
                                  reviews: scored.prefix(3).map { ($0.code, String(format: "score=%.2f (%@)", $0.score, $0.reason)) })
        if let best = scored.first, best.score >= autoMergeScore,
           scored.dropFirst().first.map({ $0.score < autoMergeScore }) ?? true {
            match = IdentityMatch(code: best.code, reason: String(format: "score=%.2f (%@)", best.score, best.reason))
        }
        match.blockingKeys = blockingKeys
        return match
    }

    /// Live customers sharing one of `keys` (a profile's blocking keys). The name block only
    /// when a shared name can score at least `reviewScore` without a phone or an e-mail: with
    /// the default thresholds it cannot, and every candidate that can is in the phone-suffix or
    /// e-mail block, which stay small however large the store grows (a name like 张伟 does not).
    private func candidates(sharing keys: [(kind: String, value: String)]) throws -> [String] {
        let nameBlockCanScore = reviewScore <= MatchScorer.bestWithoutContact
        var codes: [String] = []
        for key in keys where key.kind != "name" || nameBlockCanScore {
            guard presence.mayContain(.blockingKey, key.kind, key.value) else { continue }
            lookups += 1
            let rows = try connection.prepared("""
                SELECT coalesce(c.merged_into, c.code) FROM match_keys m
                JOIN customers c ON c.code = m.customer_code
                WHERE m.kind = ? AND m.value = ? LIMIT ?
                """).strings([key.kind, key.value, Self.candidatesPerKey])
            for code in rows where !codes.contains(code) { codes.append(code) }
        }
        return codes
    }

    /// The customer's current values, and the other names its sources have given it.
    func profile(of code: String) throws -> MatchProfile? {
        if let known = profiles[code] { return known }
        var profile = try currentProfile(of: code)
        if let current = profile {
            profile?.profile.otherNames = try otherNames(of: code, storedName: current.storedName)
        }
        profiles[code] = profile?.profile
        return profile?.profile
    }

    /// The customer's current values alone (its row in `customers`), and its name as stored.
    private func currentProfile(of code: String) throws -> (profile: MatchProfile, storedName: String?)? {
        if let known = currentProfiles[code] { return known }
        profilesRead += 1
        lookups += 1
        let row = try connection.prepared("SELECT name, phone, email, region FROM customers WHERE code = ?").first([code])
        let current = row.map {
            (MatchProfile(storedName: $0.string(0), storedPhone: $0.string(1), storedEmail: $0.string(2),
                          storedRegion: $0.string(3)), $0.string(0))
        }
        currentProfiles[code] = current
        return current
    }

    /// The names the customer's sources have given it besides its current one.
    private func otherNames(of code: String, storedName: String?) throws -> [PersonName] {
        lookups += 1
        // Deduplicated here: `DISTINCT` would build a temporary b-tree on every read.
        var others: [String] = []
        for name in try connection.prepared("""
            SELECT value FROM field_values WHERE customer_code = ? AND field = 'name' AND value IS NOT ? LIMIT 32
            """).strings([code, storedName]) where others.count < Self.otherNamesKept && !others.contains(name) {
            others.append(name)
        }
        return others.compactMap { try? PersonName(parsing: $0) }
    }

    /// How closely the names of the customer the record joins (`a`) and another one its keys
    /// point at (`b`) agree. When `a` has no name yet, the record's name speaks for it: it is
    /// about to become `a`'s name. So an order carrying a name, an e-mail and a phone bridges an
    /// e-mail-only customer (found by the address) and the customer with that name and phone.
    /// Not the other way round: a customer known only by a phone may be another member of the
    /// household that shares it.
    private func namesMatch(_ a: String, _ b: String, speakingFor incoming: MatchProfile) throws -> NameMatch? {
        guard let first = try profile(of: a), let second = try profile(of: b) else { return nil }
        let unnamed = first.name == nil && first.otherNames.isEmpty
        return (unnamed ? incoming : first).nameMatch(to: second)
    }

    /// The customers holding each identifier (most lookups miss, and the filter answers most
    /// misses): `live`, merged customers resolved to their survivor, and `direct`, the live
    /// ones that hold it themselves.
    private func customers(holding keys: [(kind: String, value: String)]) throws
        -> [String: (live: Set<String>, direct: Set<String>)] {
        var result: [String: (live: Set<String>, direct: Set<String>)] = [:]
        for key in keys where presence.mayContain(.identifier, key.kind, key.value) {
            lookups += 1
            try connection.prepared("""
                SELECT c.code, c.merged_into FROM identifiers i
                JOIN customers c ON c.code = i.customer_code WHERE i.kind = ? AND i.value = ?
                """).forEach([key.kind, key.value]) { row in
                guard let code = row.string(0) else { return }
                if let survivor = row.string(1) {
                    result[key.kind, default: ([], [])].live.insert(survivor)
                } else {
                    result[key.kind, default: ([], [])].live.insert(code)
                    result[key.kind, default: ([], [])].direct.insert(code)
                }
            }
        }
        return result
    }
}
