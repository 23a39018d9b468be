import Foundation

/// Normalizes a batch's records on a thread of its own while the engine applies the ones
/// before them. Normalization is pure and costs the writer about a tenth of its time per
/// record; done ahead on the other core, the writer only waits when it catches up.
final class NormalizationAhead: @unchecked Sendable {
    typealias Outcome = Result<NormalizedRecord, RecordNormalizer.Failure>

    private let condition = NSCondition()
    /// One slot per batch item; items that are not records stay nil. Guarded by `condition`.
    private var outcomes: [Outcome?]

    /// Starts normalizing `items`' records in order.
    init(items: [Batch.Item], normalizer: RecordNormalizer, source: String) {
        outcomes = Array(repeating: nil, count: items.count)
        DispatchQueue.global(qos: .userInitiated).async { [self] in
            for (index, item) in items.enumerated() {
                guard case .record(let record) = item else { continue }
                let outcome = normalizer.normalize(record, source: source)
                condition.lock()
                outcomes[index] = outcome
                condition.broadcast()
                condition.unlock()
            }
        }
    }

    /// The normalized record of item `index` (a record), waiting for it if need be.
    func outcome(at index: Int) -> Outcome {
        condition.lock()
        defer { condition.unlock() }
        while true {
            if let outcome = outcomes[index] { return outcome }
            condition.wait()
        }
    }
}
