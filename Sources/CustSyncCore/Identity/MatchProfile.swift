/// The identity-relevant part of a customer or an incoming record, normalized.
struct MatchProfile {
    var name: PersonName?
    /// Other names the customer has been known by (`陈珍明` and `Zhenming Chen`): a record
    /// matching any of them matches the customer.
    var otherNames: [PersonName] = []
    /// E.164 digits without the extension.
    var phone: String?
    var email: String?
    var region: String?

    init(name: PersonName?, phone: String?, email: String?, region: String?) {
        self.name = name
        self.phone = phone
        self.email = email
        self.region = region
    }

    init(_ record: NormalizedRecord) {
        self.init(name: record.name, phone: record.phone?.e164, email: record.email?.normalized,
                  region: record.fields[.region])
    }

    /// From the current values of a stored customer (`phone` as stored: E.164, maybe " ext. N").
    init(storedName: String?, storedPhone: String?, storedEmail: String?, storedRegion: String?) {
        self.init(name: storedName.flatMap { try? PersonName(parsing: $0) },
                  phone: storedPhone.map { String($0.prefix { $0 != " " }) },
                  email: storedEmail, region: storedRegion)
    }

    /// The best similarity between any of the two profiles' names. Names in one script are
    /// compared by their letters; 张伟 and Zhang Wei through pinyin, which only ever speaks
    /// for a match: when no pair can be compared, the similarity is unknown (nil), not zero.
    func nameSimilarity(to other: MatchProfile) -> Double? { nameMatch(to: other)?.score }

    /// `nameSimilarity` with its grounds.
    func nameMatch(to other: MatchProfile) -> NameMatch? {
        var best: NameMatch?
        for a in allNames {
            for b in other.allNames {
                if let match = NameSimilarity.match(a, b), match.score > best?.score ?? -1 { best = match }
            }
        }
        return best
    }

    private var allNames: [PersonName] { (name.map { [$0] } ?? []) + otherNames }

    func evidence(against other: MatchProfile) -> MatchEvidence {
        MatchEvidence(
            name: nameSimilarity(to: other),
            phone: Self.agreement(phone, other.phone) { $0.suffix(8) == $1.suffix(8) },
            email: Self.agreement(email, other.email) { a, b in
                Self.personalLocalPart(of: a).map { $0 == Self.personalLocalPart(of: b) } ?? false
            },
            region: Self.agreement(region, other.region) { _, _ in false })
    }

    private static func agreement(_ a: String?, _ b: String?, partial: (String, String) -> Bool) -> MatchEvidence.Agreement? {
        guard let a, let b else { return nil }
        if a == b { return .exact }
        return partial(a, b) ? .partial : .different
    }

    /// Keys that put likely-same customers in one block, so fuzzy matching compares a record
    /// with a handful of candidates instead of the whole store.
    var blockingKeys: [(kind: String, value: String)] {
        var keys: [(String, String)] = []
        if let name, !name.matchKey.isEmpty { keys.append(("name", name.matchKey)) }
        if let phone, phone.count >= 8 { keys.append(("phone-suffix", String(phone.suffix(8)))) }
        if let email, let local = Self.personalLocalPart(of: email) { keys.append(("email-local", local)) }
        return keys
    }

    /// The part before the @ when it can tell people apart: at least 3 characters and not a
    /// shared mailbox name. Only such a part makes two addresses agree partially.
    static func personalLocalPart(of email: String) -> String? {
        let local = String(email.prefix { $0 != "@" })
        return local.count >= 3 && !genericLocalParts.contains(local) ? local : nil
    }

    /// Mailbox names shared by unrelated people; blocking on them would compare everyone.
    static let genericLocalParts: Set<String> = ["info", "admin", "service", "support", "sales", "contact", "office", "mail", "noreply"]
}
