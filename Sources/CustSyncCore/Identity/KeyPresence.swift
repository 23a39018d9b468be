/// Which lookup keys the store may hold: source keys of applied records, identifiers and
/// blocking keys, in Bloom filters. A "no" is certain and spares a b-tree search; a "maybe"
/// (about 1 in 100 for an absent key) searches as before. The records of new persons miss every
/// key, and on a large store each miss would read index pages that nothing else keeps in memory.
///
/// Keys are only ever added. A batch that rolls back leaves the bits of keys it never stored,
/// and a key removed from the store would leave its bits: both are false "maybe"s, never a
/// false "no". Every path that inserts one of these keys calls `insert`; the filters are read
/// from the store when the `StoreWriter` opens it (or at a bare engine's first batch), so rows
/// written before (by another process, a restore, a migration) are in.
///
/// The filters grow without rescanning the store: when one holds its capacity, a new one of
/// twice the size takes the next keys, and a lookup asks each of them. A key they may already
/// hold is not added again, so they grow with the distinct keys, not with the records that
/// repeat them (an order feed re-sends the same customer's key with every order).
final class KeyPresence {
    enum Kind: UInt8 {
        case appliedRecord = 1 // source, source key
        case identifier        // kind, normalized value
        case blockingKey       // kind, value
    }

    private var filters: [BloomFilter]
    /// Keys added (without the ones that were already a "maybe").
    var count: Int { filters.reduce(0) { $0 + $1.count } }

    init(expectedKeys: Int) {
        filters = [BloomFilter(capacity: max(expectedKeys, Self.minimumCapacity))]
    }

    /// The smallest filter: 80 KiB.
    static let minimumCapacity = 1 << 16

    /// Reads every key the store holds, in one pass over each table.
    static func load(from connection: SQLiteConnection) throws(StoreError) -> KeyPresence {
        let tables: [(Kind, String)] = [
            (.appliedRecord, "SELECT source, source_key FROM applied_records"),
            (.identifier, "SELECT kind, value FROM identifiers"),
            (.blockingKey, "SELECT kind, value FROM match_keys"),
        ]
        var stored = 0
        for table in ["applied_records", "identifiers", "match_keys"] {
            stored += Int(try connection.scalarInt("SELECT count(*) FROM \(table)") ?? 0)
        }
        // Room to grow by as much again before a second filter is needed.
        let presence = KeyPresence(expectedKeys: 2 * stored)
        for (kind, sql) in tables {
            try connection.statement(sql).forEachBytePair { presence.insert(hash(kind, $0, $1)) }
        }
        return presence
    }

    func insert(_ kind: Kind, _ first: String, _ second: String) {
        insert(Self.hash(kind, first, second))
    }

    func mayContain(_ kind: Kind, _ first: String, _ second: String) -> Bool {
        let hash = Self.hash(kind, first, second)
        return filters.contains { $0.mayContain(hash) }
    }

    private func insert(_ hash: (UInt64, UInt64)) {
        guard !filters.contains(where: { $0.mayContain(hash) }) else { return }
        if filters[filters.count - 1].isFull {
            filters.append(BloomFilter(capacity: 2 * filters[filters.count - 1].capacity))
        }
        filters[filters.count - 1].insert(hash)
    }

    private static func hash(_ kind: Kind, _ first: String, _ second: String) -> (UInt64, UInt64) {
        var first = first, second = second
        return first.withUTF8 { a in second.withUTF8 { b in hash(kind, a, b) } }
    }

    /// Two independent 64-bit hashes of the key (one picks the block, the other the bits in it):
    /// FNV-1a over its bytes, then two different SplitMix64 finishers (FNV-1a alone spreads
    /// short, similar keys such as phone numbers poorly over the low bits).
    private static func hash(_ kind: Kind, _ first: UnsafeBufferPointer<UInt8>,
                             _ second: UnsafeBufferPointer<UInt8>) -> (UInt64, UInt64) {
        var value: UInt64 = 0xcbf2_9ce4_8422_2325
        value = (value ^ UInt64(kind.rawValue)) &* 0x100_0000_01b3
        for byte in first { value = (value ^ UInt64(byte)) &* 0x100_0000_01b3 }
        value = (value ^ 0xff) &* 0x100_0000_01b3 // not valid UTF-8: "ab"+"c" ≠ "a"+"bc"
        for byte in second { value = (value ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return (mix(value), mix(value ^ 0x9e37_79b9_7f4a_7c15))
    }

    private static func mix(_ input: UInt64) -> UInt64 {
        var z = input &+ 0x9e37_79b9_7f4a_7c15
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}

/// One blocked Bloom filter: 10 bits a key, and the 7 bits of a key all in one 64-byte block,
/// so an insert or a lookup touches one cache line (a filter of millions of keys is larger
/// than the CPU's caches). About 1% false "maybe" when full.
struct BloomFilter {
    let capacity: Int
    private(set) var count = 0
    private var words: [UInt64]
    private let blockCount: UInt64
    static let bitsPerKey = 10
    static let probes = 7
    static let wordsPerBlock = 8 // 512 bits

    init(capacity: Int) {
        self.capacity = capacity
        let blocks = max(1, (capacity * Self.bitsPerKey + 511) / 512)
        words = Array(repeating: 0, count: blocks * Self.wordsPerBlock)
        blockCount = UInt64(blocks)
    }

    var isFull: Bool { count >= capacity }

    mutating func insert(_ hash: (UInt64, UInt64)) {
        let base = Int(hash.0 % blockCount) * Self.wordsPerBlock
        var bits = hash.1
        for _ in 0..<Self.probes {
            words[base + Int(bits & 7)] |= 1 << ((bits >> 3) & 63) // 9 bits a probe
            bits >>= 9
        }
        count += 1
    }

    func mayContain(_ hash: (UInt64, UInt64)) -> Bool {
        let base = Int(hash.0 % blockCount) * Self.wordsPerBlock
        var bits = hash.1
        for _ in 0..<Self.probes {
            if words[base + Int(bits & 7)] & (1 << ((bits >> 3) & 63)) == 0 { return false }
            bits >>= 9
        }
        return true
    }
}
