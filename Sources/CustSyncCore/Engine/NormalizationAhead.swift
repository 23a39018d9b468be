import Foundation
import Synchronization

/// Normalizes a batch's records on a thread of its own while the engine applies the ones
/// before them. Normalization is pure and costs the writer about a fifth of its time per
/// record; done ahead on the other core, the writer never waits for it: a record the helper
/// has not reached yet (it may not even have been scheduled) the writer normalizes itself, and
/// the helper skips it.
final class NormalizationAhead: Sendable {
    typealias Outcome = Result<NormalizedRecord, RecordNormalizer.Failure>

    private let items: [Batch.Item]
    private let normalizer: RecordNormalizer
    private let source: String
    /// The next item nobody has started on: the helper and the writer both take from it.
    private let nextUnclaimed = Atomic<Int>(0)
    /// One slot per batch item, filled by the helper; items that are not records stay nil.
    private let outcomes: Mutex<[Outcome?]>

    /// Starts normalizing `items`' records in order.
    init(items: [Batch.Item], normalizer: RecordNormalizer, source: String) {
        self.items = items
        self.normalizer = normalizer
        self.source = source
        outcomes = Mutex(Array(repeating: nil, count: items.count))
        DispatchQueue.global(qos: .userInitiated).async { [self] in
            while true {
                let index = nextUnclaimed.add(1, ordering: .relaxed).oldValue
                guard index < items.count else { return }
                guard let outcome = normalize(index) else { continue }
                outcomes.withLock { $0[index] = outcome }
            }
        }
    }

    private func normalize(_ index: Int) -> Outcome? {
        guard case .record(let record) = items[index] else { return nil }
        return normalizer.normalize(record, source: source)
    }

    /// The normalized record of item `index` (a record): the helper's, or normalized here when
    /// the helper has not finished it. The writer asks for the items in order.
    func outcome(at index: Int) -> Outcome {
        if let done = outcomes.withLock({ $0[index] }) { return done }
        // Claim every item up to this one, so the helper goes on after it. One it is working on
        // right now is normalized twice rather than waited for (it may have been preempted).
        var claimed = nextUnclaimed.load(ordering: .relaxed)
        while claimed <= index {
            let (exchanged, original) = nextUnclaimed.compareExchange(expected: claimed, desired: index + 1,
                                                                      ordering: .relaxed)
            if exchanged { break }
            claimed = original
        }
        return normalize(index)!
    }
}
