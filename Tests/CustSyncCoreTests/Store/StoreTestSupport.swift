@testable import CustSyncCore
import Foundation

/// A store file in a fresh temporary directory, removed afterwards.
final class TemporaryStore {
    let directory: String
    var path: String { directory + "/store.db" }

    init() {
        var template = Array("/tmp/cs-store-XXXXXX".utf8CString)
        directory = template.withUnsafeMutableBufferPointer { String(cString: mkdtemp($0.baseAddress!)!) }
    }

    deinit { try? FileManager.default.removeItem(atPath: directory) }

    func engine(settings: EngineSettings = EngineSettings(), now: @escaping @Sendable () -> Date = { Date(timeIntervalSince1970: 1_800_000_000) }) throws -> Engine {
        Engine(connection: try StoreFile.openForWriting(path: path), settings: settings, now: now)
    }
}

func record(_ key: String, _ fields: [CanonicalField: String], at seconds: Double = 1_000,
            interaction: Interaction? = nil) -> Batch.Item {
    .record(SourceRecord(key: key, observedAt: Date(timeIntervalSince1970: seconds), fields: fields,
                         interaction: interaction, origin: "test \(key)"))
}

extension Engine {
    func count(_ sql: String, _ values: [SQLBindable] = []) throws -> Int64 {
        try connection.scalarInt(sql, values) ?? -1
    }
    func value(_ sql: String, _ values: [SQLBindable] = []) throws -> String? {
        try connection.statement(sql).first(values)?.string(0)
    }
}
