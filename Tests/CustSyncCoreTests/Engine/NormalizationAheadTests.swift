@testable import CustSyncCore
import XCTest

/// The writer gets every record's normalization from `NormalizationAhead`, whether the helper
/// thread did it first or the writer had to do it itself.
final class NormalizationAheadTests: XCTestCase {
    private let now = Date(timeIntervalSince1970: 1_800_000_000)

    private func items(_ count: Int) -> [Batch.Item] {
        (0..<count).map { n in
            switch n % 5 {
            case 3: .rejected(Rejection(origin: "row \(n)", reason: "unreadable", raw: "x"))
            case 4: record("bad\(n)", [.email: "not an e-mail \(n)"])
            default: record("c\(n)", [.name: "客户\(n)", .phone: "1380013\(String(format: "%04d", n))"])
            }
        }
    }

    /// What normalizing record `item` on the spot gives, for comparison.
    private func expected(_ item: Batch.Item, _ normalizer: RecordNormalizer) -> String {
        guard case .record(let record) = item else { return "not a record" }
        return describe(normalizer.normalize(record, source: "crm"))
    }

    private func describe(_ outcome: NormalizationAhead.Outcome) -> String {
        switch outcome {
        case .success(let normalized): "\(normalized.key) \(normalized.contentHash)"
        case .failure(.invalid(let reason)): "invalid: \(reason)"
        }
    }

    func testEveryRecordComesOutAsNormalizingItAloneWouldGive() {
        let batch = items(2_000)
        let normalizer = RecordNormalizer(settings: EngineSettings(), now: now)
        let ahead = NormalizationAhead(items: batch, normalizer: normalizer, source: "crm")
        for (index, item) in batch.enumerated() {
            guard case .record = item else { continue }
            XCTAssertEqual(describe(ahead.outcome(at: index)), expected(item, normalizer), "item \(index)")
        }
    }

    func testRecordsTheHelperHasNotReachedAreNormalizedByTheWriter() {
        let batch = items(2_000)
        let normalizer = RecordNormalizer(settings: EngineSettings(), now: now)
        let ahead = NormalizationAhead(items: batch, normalizer: normalizer, source: "crm")
        // Asked for the last record before any other, the writer claims them all: whatever the
        // helper had not started it leaves, and the writer normalizes those as it asks.
        XCTAssertEqual(describe(ahead.outcome(at: 1_997)), expected(batch[1_997], normalizer))
        for (index, item) in batch.enumerated() {
            guard case .record = item else { continue }
            XCTAssertEqual(describe(ahead.outcome(at: index)), expected(item, normalizer), "item \(index)")
        }
    }
}
