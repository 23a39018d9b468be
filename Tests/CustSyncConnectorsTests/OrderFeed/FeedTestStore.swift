@testable import CustSyncConnectors
import CustSyncCore
import Foundation

/// A real store in a temporary directory, written through a real `StoreWriter`, for driving a
/// connector the way the daemon does: poll from the committed cursor, deliver batches.
final class FeedTestStore {
    let directory: String
    let writer: StoreWriter
    var path: String { directory + "/store.db" }

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("custsync-feed-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        writer = try StoreWriter(path: directory + "/store.db", settings: EngineSettings())
    }

    deinit { try? FileManager.default.removeItem(atPath: directory) }

    /// One poll as the daemon runs it: from the committed cursor, each batch applied in its own
    /// transaction. `deliverLimit` makes the store refuse batches after that many, as if the
    /// daemon died there: nothing after it commits.
    func poll(_ connector: OrderFeedConnector, timeout: TimeInterval = 60, batchSize: Int = 1000,
              deliverLimit: Int? = nil) throws {
        let cursor = try writer.perform { try $0.cursor(for: connector.name) }
        let delivered = Counter()
        let context = PollContext(connector: connector.name, deadline: Date().addingTimeInterval(timeout),
                                  batchSize: batchSize) { [writer] batch in
            if let deliverLimit, delivered.increment() > deliverLimit { throw SimulatedCrash() }
            return try writer.apply(batch)
        }
        try connector.poll(from: cursor, context: context)
    }

    func cursor(_ connector: String) throws -> FeedCursor? {
        try writer.perform { try $0.cursor(for: connector) }.flatMap(FeedCursor.init)
    }

    func count(_ sql: String, _ values: [SQLBindable] = []) throws -> Int {
        let reader = try StoreReader(path: path)
        return Int(try reader.connection.scalarInt(sql, values) ?? -1)
    }

    func strings(_ sql: String, _ values: [SQLBindable] = []) throws -> [String] {
        let reader = try StoreReader(path: path)
        return try reader.connection.statement(sql).rows(values).map { $0.string(0) ?? "" }
    }

    struct SimulatedCrash: Error {}

    final class Counter: @unchecked Sendable {
        // @unchecked: only touched from the one polling thread.
        private var value = 0
        func increment() -> Int { value += 1; return value }
    }
}
