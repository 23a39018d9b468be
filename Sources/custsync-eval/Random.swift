/// SplitMix64: small, fast and the same on every platform, so a seed always yields the same
/// population (Swift's `random(in:using:)` is deterministic for a deterministic generator).
struct SeededRandom: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// True with probability `p`.
    mutating func chance(_ p: Double) -> Bool { Double.random(in: 0..<1, using: &self) < p }

    mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &self) }

    mutating func pick<T>(_ items: [T]) -> T { items[Int.random(in: 0..<items.count, using: &self)] }

    /// `count` random decimal digits.
    mutating func digits(_ count: Int) -> String {
        var out = ""
        for _ in 0..<count { out.append(Character(String(Int.random(in: 0...9, using: &self)))) }
        return out
    }
}

/// Picks items with given weights in O(log n).
struct WeightedTable<T> {
    let items: [T]
    private let cumulative: [Double]

    init(_ weighted: [(T, Double)]) {
        items = weighted.map(\.0)
        var sum = 0.0
        cumulative = weighted.map { sum += $0.1; return sum }
    }

    func pick(_ rng: inout SeededRandom) -> T {
        let x = Double.random(in: 0..<(cumulative.last ?? 1), using: &rng)
        var low = 0, high = cumulative.count - 1
        while low < high {
            let mid = (low + high) / 2
            if cumulative[mid] > x { high = mid } else { low = mid + 1 }
        }
        return items[low]
    }
}
