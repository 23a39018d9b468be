import Foundation

/// The fingerprint of a record's content. It only has to tell two versions of the same
/// (source, key) apart, so a 64-bit FNV-1a over a canonical serialisation is enough and cheap.
/// The record's observation time is left out on purpose: a source that re-sends the same values
/// later (or stamps them with the time it read them) has not changed anything.
enum ContentHash {
    static func of(key: String, fields: [CanonicalField: String],
                   interaction: Interaction?) -> String {
        var hasher = FNV1a()
        hasher.add(key)
        for field in CanonicalField.allCases {
            if let value = fields[field] { hasher.add(field.rawValue); hasher.add(value) }
        }
        if let i = interaction {
            hasher.add(i.kind.rawValue); hasher.add(i.key)
            hasher.add(i.occurredAt.timeIntervalSince1970.bitPattern)
            hasher.add(i.summary ?? ""); hasher.add(i.status ?? "")
            hasher.add(i.amount?.bitPattern ?? 0); hasher.add(i.currency ?? "")
            for (k, v) in i.details.sorted(by: { $0.key < $1.key }) { hasher.add(k); hasher.add(v) }
        }
        return String(hasher.value, radix: 16)
    }

    struct FNV1a {
        var value: UInt64 = 0xcbf2_9ce4_8422_2325
        mutating func add(_ string: String) {
            for byte in string.utf8 { value = (value ^ UInt64(byte)) &* 0x100_0000_01b3 }
            value = (value ^ 0x1f) &* 0x100_0000_01b3 // separator, so "ab"+"c" ≠ "a"+"bc"
        }
        mutating func add(_ number: UInt64) {
            for shift in stride(from: 0, to: 64, by: 8) { value = (value ^ ((number >> UInt64(shift)) & 0xff)) &* 0x100_0000_01b3 }
        }
    }
}
