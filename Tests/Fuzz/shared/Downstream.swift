@testable import CustSyncCore
import Foundation

/// What the engine does first with each item a connector delivers, short of the store: the
/// record is normalized (the phone, e-mail and name parsers run on the fuzzed values) and its
/// times are written the way the journal writes them. Compiled into every fuzz target.
enum Downstream {
    private static let normalizer = RecordNormalizer(settings: EngineSettings(), now: Date())

    static func apply(_ item: Batch.Item) {
        guard case .record(let record) = item else { return }
        apply(record)
    }

    static func apply(_ record: SourceRecord) {
        _ = normalizer.normalize(record, source: "fuzz")
        _ = ISO8601.string(record.observedAt)
        if let interaction = record.interaction { _ = ISO8601.string(interaction.occurredAt) }
    }
}

/// The bytes libFuzzer hands a target, as an array.
func fuzzInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> [UInt8] {
    Array(UnsafeBufferPointer(start: data, count: size))
}
