@testable import CustSyncConnectors
import CustSyncCore
import Foundation
import XCTest

/// Shared set-up of the order-feed tests: a temporary configuration directory, a store, and
/// connectors built from real `[Feed]`/`[Mapping]` text through `Configuration.load`.
class OrderFeedTestCase: XCTestCase {
    var store: FeedTestStore!
    var root = ""

    static let mapping = """
        [Mapping]
        id=order_id
        customer.id=customer_id
        customer.name=name
        customer.email=email
        customer.phone=phone
        status=status
        updated_at=updated_at
        created_at=ordered_at
        items=items
        total=total
        currency=currency
        """

    override func setUpWithError() throws {
        store = try FeedTestStore()
        root = store.directory + "/etc"
        try FileManager.default.createDirectory(atPath: root + "/connectors.d", withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        store = nil
    }

    /// Loads a connector named `orders` with `feed` as its `[Feed]` lines.
    func connector(_ feed: String, mapping: String = OrderFeedTestCase.mapping, name: String = "orders",
                   environment: [String: String] = [:]) throws -> OrderFeedConnector {
        let settings = try feedSettings(feed, mapping: mapping, name: name)
        let verbose = ProcessInfo.processInfo.environment["FEED_TEST_LOG"] != nil
        return OrderFeedConnector(name: name, settings: settings, userAgent: "custsync/test", environment: environment) { message in
            if verbose { print("connector \(name): \(message)") }
        }
    }

    func feedSettings(_ feed: String, mapping: String = OrderFeedTestCase.mapping, name: String = "orders") throws -> FeedSettings {
        try "[Daemon]\nStateDirectory=\(store.directory)\n".write(toFile: root + "/custsyncd.conf", atomically: true, encoding: .utf8)
        let text = "[Connector]\nName=\(name)\nKind=order-feed\n\n[Feed]\n\(feed)\n\n\(mapping)\n"
        try text.write(toFile: root + "/connectors.d/\(name).conf", atomically: true, encoding: .utf8)
        let configuration = try Configuration.load(path: root + "/custsyncd.conf", environment: [:])
        return try XCTUnwrap(configuration.connector(named: name)?.feed)
    }

    /// Polls and expects a `ConnectorError`, which it returns.
    func pollFailure(_ connector: OrderFeedConnector, batchSize: Int = 1000,
                     file: StaticString = #filePath, line: UInt = #line) -> ConnectorError? {
        do {
            try store.poll(connector, batchSize: batchSize)
            XCTFail("the poll succeeded, but a failure was expected", file: file, line: line)
            return nil
        } catch let error as ConnectorError {
            return error
        } catch {
            XCTFail("expected a ConnectorError, got \(error)", file: file, line: line)
            return nil
        }
    }

    /// Every order of the store's `orders` source: (order id, count of rows with that id).
    func interactionCount(_ source: String = "orders") throws -> Int {
        try store.count("SELECT count(*) FROM interactions WHERE source = ? AND kind = 'order'", [source])
    }

    func distinctOrderCount(_ source: String = "orders") throws -> Int {
        try store.count("SELECT count(DISTINCT source_key) FROM interactions WHERE source = ?", [source])
    }

    func recordedJournalCount(_ source: String = "orders") throws -> Int {
        try store.count("SELECT count(*) FROM journal WHERE source = ? AND kind = 'interaction.recorded'", [source])
    }
}
