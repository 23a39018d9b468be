import CustSyncCore
import Foundation

/// How a person writes their name.
enum NameScript {
    /// A Chinese name, written in characters by most sources and in pinyin by some.
    case chinese
    /// A Chinese person who goes by the pinyin spelling (`Wei Zhang`) almost everywhere.
    case pinyin
    /// A Latin-script name (`Anna Müller`).
    case western
}

/// A Chinese phone number as the generator knows it: mobile (no area) or landline.
struct Phone: Hashable {
    var area: String?
    var number: String
    var e164: String { "+86" + (area ?? "") + number }
    var isMobile: Bool { area == nil }
}

/// One real person: the ground truth.
struct Person {
    let id: Int
    var script: NameScript
    /// Characters (张) or the Latin family name (Müller).
    var surname: String
    /// Characters (晓明) or the Latin first name (Anna).
    var given: String
    /// Pinyin of the surname, or the family name again.
    var surnamePinyin: String
    /// Pinyin syllables of the given name, or the first name alone.
    var givenPinyin: [String]
    var female: Bool
    var mobiles: [Phone] = []
    var emails: [String] = []
    var household: Int?
    /// The phone the household shares (a landline, or one member's mobile).
    var householdPhone: Phone?
    var namesakeOf: Int?

    /// The name as the person would write it, for reports.
    var displayName: String {
        switch script {
        case .chinese, .pinyin: surname + given
        case .western: given + " " + surname
        }
    }
}

/// One generated source record, with its ground truth.
struct GenRecord {
    var person: Int
    var source: String
    var name: String?
    var phone: String?
    /// E.164 of the phone written (a typo makes it someone else's or nobody's number).
    var phoneKey: String?
    var email: String?
    /// The address in its canonical lower-case form.
    var emailKey: String?
    var observedAt: Date
    /// What was done to the values (`latin-typo`, `cjk-lookalike`, `household-phone`, …).
    var notes: [String] = []
}

struct PopulationStats {
    var chinese = 0, pinyin = 0, western = 0
    var households = 0, householdMembers = 0
    var namesakePairs = 0
    var withEmail = 0
}

/// Generates persons and their records from a seed. The same seed gives the same population.
struct PopulationGenerator {
    static let sources = ["callcenter", "mail", "orders"]

    var rng: SeededRandom
    private var usedMobiles = Set<String>()
    private var usedLandlines = Set<String>()
    private var usedEmails = Set<String>()
    private let surnames = WeightedTable(NamePools.surnames.map { (($0.0, $0.1), $0.2) })
    private let givenChars = WeightedTable(NamePools.givenCharacters.map { (($0.0, $0.1), $0.2) })
    private let westernFirst = WeightedTable(NamePools.westernFirst)
    private let westernLast = WeightedTable(NamePools.westernLast)
    private let mailDomains = WeightedTable(NamePools.mailDomains)
    private(set) var stats = PopulationStats()
    private let epoch = Date(timeIntervalSince1970: 1_704_067_200) // 2024-01-01

    init(seed: UInt64) { rng = SeededRandom(seed: seed) }

    // MARK: persons

    /// `count` persons with ids `firstID…`, households and namesakes included.
    mutating func persons(count: Int, firstID: Int = 0) -> [Person] {
        var people: [Person] = []
        people.reserveCapacity(count)
        for i in 0..<count {
            let roll = Double.random(in: 0..<1, using: &rng)
            let script: NameScript = roll < 0.88 ? .chinese : (roll < 0.94 ? .pinyin : .western)
            people.append(makeName(id: firstID + i, script: script, surnameOf: nil))
        }
        // Households: a run of 2–4 consecutive persons (ids mean nothing to the engine).
        var i = 0
        var householdCount = 0
        while i < count {
            if rng.chance(0.05) {
                let size = min(count - i, WeightedTable([(2, 50.0), (3, 35.0), (4, 15.0)]).pick(&rng))
                if size >= 2 {
                    formHousehold(&people, members: i..<(i + size), number: householdCount)
                    householdCount += 1
                    stats.households += 1
                    stats.householdMembers += size
                    i += size
                    continue
                }
            }
            i += 1
        }
        // Explicit namesakes: the same name as someone else, with their own phone and e-mail.
        for j in 0..<count where people[j].household == nil && count > 1 && rng.chance(0.015) {
            var other = rng.int(0...(count - 1))
            if other == j { other = (other + 1) % count }
            let source = people[other]
            people[j].script = source.script
            people[j].surname = source.surname
            people[j].given = source.given
            people[j].surnamePinyin = source.surnamePinyin
            people[j].givenPinyin = source.givenPinyin
            people[j].female = source.female
            people[j].namesakeOf = source.id
            stats.namesakePairs += 1
        }
        for j in 0..<count {
            addContacts(&people[j])
            switch people[j].script {
            case .chinese: stats.chinese += 1
            case .pinyin: stats.pinyin += 1
            case .western: stats.western += 1
            }
            if !people[j].emails.isEmpty { stats.withEmail += 1 }
        }
        return people
    }

    private mutating func makeName(id: Int, script: NameScript, surnameOf: Person?) -> Person {
        let female = rng.chance(0.5)
        switch script {
        case .chinese, .pinyin:
            let surname = surnameOf.map { ($0.surname, $0.surnamePinyin) } ?? surnames.pick(&rng)
            let length = rng.chance(0.3) ? 1 : 2
            var chars = "", syllables: [String] = []
            for _ in 0..<length {
                var pick = givenChars.pick(&rng)
                while chars == pick.0 { pick = givenChars.pick(&rng) }  // 伟伟 happens, but rarely
                chars += pick.0
                syllables.append(pick.1)
            }
            return Person(id: id, script: script, surname: surname.0, given: chars,
                          surnamePinyin: surname.1, givenPinyin: syllables, female: female)
        case .western:
            let last = surnameOf?.surname ?? westernLast.pick(&rng)
            let first = westernFirst.pick(&rng)
            return Person(id: id, script: .western, surname: last, given: first,
                          surnamePinyin: last, givenPinyin: [first], female: female)
        }
    }

    /// Members after the first: the spouse keeps their own surname (as in China), children and
    /// parents share the head's. They share one landline, or the head's mobile.
    private mutating func formHousehold(_ people: inout [Person], members: Range<Int>, number: Int) {
        let head = members.lowerBound
        var givenNames: Set<String> = [people[head].given]
        for (offset, index) in members.enumerated() where offset >= 2
            || (offset == 1 && people[head].script == .western && rng.chance(0.7)) {
            // Family members do not share a given name.
            var renamed = makeName(id: people[index].id, script: people[head].script, surnameOf: people[head])
            for _ in 0..<20 where givenNames.contains(renamed.given) {
                renamed = makeName(id: people[index].id, script: people[head].script, surnameOf: people[head])
            }
            givenNames.insert(renamed.given)
            people[index].surname = renamed.surname
            people[index].surnamePinyin = renamed.surnamePinyin
            people[index].given = renamed.given
            people[index].givenPinyin = renamed.givenPinyin
            people[index].script = people[head].script
        }
        let shared: Phone
        let landline = rng.chance(0.6)
        if landline {
            shared = newLandline()
        } else {
            shared = newMobile()
            people[head].mobiles = [shared]
        }
        for index in members {
            people[index].household = number
            people[index].householdPhone = shared
            // With a shared mobile, half the other members have none of their own.
            if !landline && index != head && rng.chance(0.5) { people[index].mobiles = [shared] }
        }
    }

    private mutating func addContacts(_ person: inout Person) {
        if person.mobiles.isEmpty {
            person.mobiles.append(newMobile())
            if rng.chance(0.05) { person.mobiles.append(newMobile()) }
        }
        if rng.chance(0.8) {
            person.emails.append(newEmail(person, work: false))
            if rng.chance(0.10) { person.emails.append(newEmail(person, work: rng.chance(0.6))) }
        }
    }

    private mutating func newMobile() -> Phone {
        while true {
            let number = rng.pick(NamePools.mobilePrefixes) + rng.digits(8)
            if usedMobiles.insert(number).inserted { return Phone(area: nil, number: number) }
        }
    }

    private mutating func newLandline() -> Phone {
        while true {
            let (area, length) = rng.pick(NamePools.areaCodes)
            let number = String(rng.int(2...8)) + rng.digits(length - 1)
            if usedLandlines.insert(area + number).inserted { return Phone(area: area, number: number) }
        }
    }

    private mutating func newEmail(_ person: Person, work: Bool) -> String {
        let s = Self.ascii(person.surnamePinyin.lowercased())
        let g = person.givenPinyin.map { Self.ascii($0.lowercased()) }
        let given = g.joined()
        let initials = String(g.compactMap(\.first))
        let domain = work ? rng.pick(NamePools.companyDomains) : mailDomains.pick(&rng)
        var local: String
        if domain == "qq.com" && rng.chance(0.8) {
            local = String(rng.int(1...9)) + rng.digits(rng.int(5...9))
        } else if work {
            local = rng.chance(0.6) ? "\(given).\(s)" : "\(initials)\(s)"
        } else {
            let year = String(rng.int(1960...2005))
            switch rng.int(0...7) {
            case 0: local = s + given
            case 1: local = "\(given).\(s)"
            case 2: local = "\(s).\(given)"
            case 3: local = "\(s)_\(given)"
            case 4: local = initials + s
            case 5: local = s + initials + year.suffix(2)
            case 6: local = s + given + year
            default: local = s + given + rng.digits(rng.int(2...3))
            }
        }
        var address = local + "@" + domain
        while !usedEmails.insert(address).inserted {
            local += rng.digits(1)
            address = local + "@" + domain
        }
        return address
    }

    static func ascii(_ s: String) -> String {
        let map: [Character: String] = ["ü": "u", "ö": "o", "ä": "a", "é": "e", "è": "e", "ë": "e", "ç": "c",
                                        "ø": "o", "á": "a", "í": "i", "ó": "o", "ñ": "n", "å": "a", "'": ""]
        return String(s.flatMap { map[$0] ?? String($0) })
    }

    // MARK: records

    /// 1–4 records of `person` from random sources.
    mutating func records(for person: Person) -> [GenRecord] {
        let count = WeightedTable([(1, 30.0), (2, 30.0), (3, 22.0), (4, 18.0)]).pick(&rng)
        return (0..<count).map { _ in record(for: person) }
    }

    /// One record of `person` from a random source (mail only for persons with an e-mail).
    mutating func record(for person: Person, source fixed: String? = nil) -> GenRecord {
        var source = fixed ?? WeightedTable([("callcenter", 40.0), ("mail", 25.0), ("orders", 35.0)]).pick(&rng)
        if source == "mail" && person.emails.isEmpty { source = rng.chance(0.5) ? "callcenter" : "orders" }
        let at = epoch.addingTimeInterval(Double(rng.int(0...(365 * 86_400))))
        var record = GenRecord(person: person.id, source: source, observedAt: at)
        let wantsPhone: Bool, wantsEmail: Bool, nameMissing: Double
        switch source {
        case "callcenter":
            // Caller ID withheld (3%) or no name taken (3%), never both: the agent asks.
            let phone = rng.chance(0.97)
            (wantsPhone, wantsEmail, nameMissing) = (phone, rng.chance(0.05), phone ? 0.03 : 0)
        case "mail": (wantsPhone, wantsEmail, nameMissing) = (rng.chance(0.20), true, 0.15)
        default:
            var phone = rng.chance(0.97), email = rng.chance(0.65) && !person.emails.isEmpty
            if !phone && !email { if person.emails.isEmpty { phone = true } else { email = true } }
            (wantsPhone, wantsEmail, nameMissing) = (phone, email, 0.02)
        }
        if !rng.chance(nameMissing) { record.name = renderName(person, source: source, notes: &record.notes) }
        if wantsPhone, let phone = choosePhone(person, notes: &record.notes) {
            var phone = phone
            if source == "callcenter" && rng.chance(0.005) {
                // The agent mistyped a digit.
                var digits = Array(phone.number)
                let at = digits.count - 1 - rng.int(0...3)
                var replacement = Character(String(rng.int(0...9)))
                while replacement == digits[at] { replacement = Character(String(rng.int(0...9))) }
                digits[at] = replacement
                phone.number = String(digits)
                record.notes.append("phone-typo")
            }
            record.phone = renderPhone(phone)
            record.phoneKey = phone.e164
        }
        if wantsEmail, !person.emails.isEmpty {
            let email = person.emails.count > 1 && rng.chance(0.4) ? person.emails[1] : person.emails[0]
            record.email = renderEmail(email, person: person, source: source)
            record.emailKey = email
        }
        return record
    }

    private mutating func choosePhone(_ person: Person, notes: inout [String]) -> Phone? {
        if let shared = person.householdPhone {
            let ownMobiles = person.mobiles.filter { $0 != shared }
            let useShared = ownMobiles.isEmpty || rng.chance(shared.isMobile ? 0.3 : 0.5)
            if useShared {
                notes.append("household-phone")
                return shared
            }
            return rng.pick(ownMobiles)
        }
        guard let first = person.mobiles.first else { return nil }
        return person.mobiles.count > 1 && rng.chance(0.35) ? person.mobiles[1] : first
    }

    // MARK: rendering

    private mutating func renderName(_ person: Person, source: String, notes: inout [String]) -> String {
        let latin: Bool
        switch (person.script, source) {
        case (.western, _): latin = true
        case (.pinyin, _): latin = rng.chance(0.85)
        case (.chinese, "mail"): latin = rng.chance(0.45)
        case (.chinese, "orders"): latin = rng.chance(0.08)
        default: latin = false
        }
        if !latin {
            if source == "callcenter" && rng.chance(0.03) {
                notes.append("title-only")
                return person.surname + (person.female ? "女士" : "先生")
            }
            var surname = person.surname, given = person.given
            if rng.chance(0.01) {
                // A character that looks alike: the given name's if it has one, else the surname's.
                if let index = given.firstIndex(where: { NamePools.lookalikes[String($0)] != nil }) {
                    given.replaceSubrange(index...index, with: NamePools.lookalikes[String(given[index])]!)
                    notes.append("cjk-lookalike")
                } else if let swap = NamePools.lookalikes[surname] {
                    surname = swap
                    notes.append("cjk-lookalike")
                }
            }
            if source == "orders" && rng.chance(0.3) {
                notes.append("cjk-space")
                return surname + " " + given
            }
            return surname + given
        }
        var text: String
        if person.script == .western {
            var first = person.given, last = person.surname
            let variant = Double.random(in: 0..<1, using: &rng)
            if variant < 0.12 {
                first = Self.ascii(first.lowercased()).capitalizedFirst(like: first)
                last = Self.ascii(last.lowercased()).capitalizedFirst(like: last)
                if first != person.given || last != person.surname { notes.append("latin-no-diacritics") }
            } else if variant < 0.15, last.contains(where: { "äöü".contains($0) }) {
                last = last.replacingOccurrences(of: "ü", with: "ue").replacingOccurrences(of: "ö", with: "oe")
                    .replacingOccurrences(of: "ä", with: "ae")
                notes.append("latin-transliterated")
            }
            let order = Double.random(in: 0..<1, using: &rng)
            if order < 0.10 {
                text = last + " " + first
                notes.append("latin-swapped")
            } else if order < 0.15 {
                text = last.uppercased() + ", " + first
                notes.append("latin-swapped")
            } else if order < 0.20 {
                text = (first + " " + last).uppercased()
            } else {
                text = first + " " + last
            }
        } else {
            let family = person.surnamePinyin.capitalized
            let syllables = person.givenPinyin
            var given = syllables.joined().capitalized
            if syllables.count == 2 {
                let split = Double.random(in: 0..<1, using: &rng)
                if split < 0.10 {
                    given = syllables.map(\.capitalized).joined(separator: " ")
                    notes.append("pinyin-split")
                } else if split < 0.15 {
                    given = syllables[0].capitalized + "-" + syllables[1]
                }
            }
            let order = Double.random(in: 0..<1, using: &rng)
            if order < 0.45 {
                text = given + " " + family
            } else if order < 0.80 {
                text = family + " " + given
                notes.append("latin-swapped")
            } else if order < 0.90 {
                text = family.uppercased() + " " + given
                notes.append("latin-swapped")
            } else if order < 0.95 {
                text = family.uppercased() + ", " + given
                notes.append("latin-swapped")
            } else {
                text = (given + " " + family).lowercased()
            }
            notes.append("pinyin")
        }
        if rng.chance(0.05), let typo = latinTypo(text) {
            text = typo
            notes.append("latin-typo")
        }
        return text
    }

    /// One letter swapped with its neighbour, replaced or dropped, inside a word of 4+ letters
    /// and never the first letter.
    private mutating func latinTypo(_ text: String) -> String? {
        var chars = Array(text)
        let candidates = chars.indices.filter { i in
            i > 0 && i + 1 < chars.count && chars[i].isLetter && chars[i - 1].isLetter && chars[i + 1].isLetter
        }
        guard !candidates.isEmpty else { return nil }
        let i = rng.pick(candidates)
        let op = Double.random(in: 0..<1, using: &rng)
        if op < 0.6 {
            guard chars[i] != chars[i + 1] else { return nil }
            chars.swapAt(i, i + 1)
        } else if op < 0.85 {
            let letters = Array("abcdefghijklmnopqrstuvwxyz")
            var letter = rng.pick(letters)
            while String(letter) == chars[i].lowercased() { letter = rng.pick(letters) }
            chars[i] = chars[i].isUppercase ? Character(letter.uppercased()) : letter
        } else {
            chars.remove(at: i)
        }
        return String(chars)
    }

    private mutating func renderPhone(_ phone: Phone) -> String {
        let n = phone.number
        if let area = phone.area {
            let half = n.count / 2
            let (a, b) = (String(n.prefix(half)), String(n.dropFirst(half)))
            switch rng.int(0...99) {
            case 0..<40: return "0\(area)-\(n)"
            case 40..<55: return "(0\(area)) \(a) \(b)"
            case 55..<65: return "0\(area) \(a) \(b)"
            case 65..<75: return "+86 \(area) \(a) \(b)"
            case 75..<80: return "+86-\(area)-\(n)"
            case 80..<90: return "0\(area)\(n)"
            case 90..<95: return Self.fullWidth("0\(area)-\(n)")
            default: return "0086 \(area) \(n)"
            }
        }
        let (a, b, c) = (String(n.prefix(3)), String(n.dropFirst(3).prefix(4)), String(n.suffix(4)))
        switch rng.int(0...99) {
        case 0..<35: return n
        case 35..<50: return "\(a) \(b) \(c)"
        case 50..<60: return "\(a)-\(b)-\(c)"
        case 60..<70: return "+86 \(a) \(b) \(c)"
        case 70..<78: return "+86-\(a)-\(b)-\(c)"
        case 78..<85: return "+86\(n)"
        case 85..<88: return "0086 \(n)"
        case 88..<90: return "86-\(n)"
        case 90..<95: return Self.fullWidth(n)
        case 95..<98: return "(+86) \(a) \(b) \(c)"
        default: return "\(a).\(b).\(c)"
        }
    }

    /// Digits and `-` as typed on a Chinese IME in full-width mode.
    static func fullWidth(_ s: String) -> String {
        String(String.UnicodeScalarView(s.unicodeScalars.map { scalar in
            switch scalar {
            case "0"..."9": return Unicode.Scalar(scalar.value - 0x30 + 0xFF10)!
            case "-": return "\u{FF0D}"
            default: return scalar
            }
        }))
    }

    private mutating func renderEmail(_ email: String, person: Person, source: String) -> String {
        let parts = email.split(separator: "@", maxSplits: 1).map(String.init)
        let (local, domain) = (parts[0], parts[1])
        switch rng.int(0...99) {
        case 0..<50: return email
        case 50..<62: // Capitalised words: ZhangWei@163.com, Wei.Zhang@163.com
            let capitalised = local.split(separator: ".", omittingEmptySubsequences: false)
                .map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined(separator: ".")
            return capitalised + "@" + domain
        case 62..<70: return email.uppercased()
        case 70..<76: return local + "@" + domain.uppercased()
        case 76..<82: return String(local.map { rng.chance(0.3) ? Character($0.uppercased()) : $0 }) + "@" + domain
        case 82..<90 where source == "mail":
            return "\(person.displayName) <\(email)>"
        case 90..<94: return local + "\u{FF20}" + domain  // full-width ＠
        case 94..<97: return "  \(email) "
        default: return "mailto:" + email
        }
    }
}

extension String {
    /// `self` with the first letter upper-cased when `model`'s first letter is.
    func capitalizedFirst(like model: String) -> String {
        guard let first = first, model.first?.isUppercase == true else { return self }
        return first.uppercased() + dropFirst()
    }
}
