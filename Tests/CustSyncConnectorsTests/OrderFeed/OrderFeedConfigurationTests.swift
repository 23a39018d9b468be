import CustSyncCore
import Foundation
import XCTest

/// `[Feed]` and the order-feed `[Mapping]` as `custsyncd --check-config` reads them.
final class OrderFeedConfigurationTests: XCTestCase {
    private var root = ""

    override func setUpWithError() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("custsync-feedconf-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: root + "/connectors.d", withIntermediateDirectories: true)
        try "[Daemon]\nStateDirectory=\(root)\n".write(toFile: root + "/custsyncd.conf", atomically: true, encoding: .utf8)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: root)
    }

    private func load(_ connector: String) throws -> Configuration {
        try connector.write(toFile: root + "/connectors.d/shop.conf", atomically: true, encoding: .utf8)
        return try Configuration.load(path: root + "/custsyncd.conf", environment: [:])
    }

    private func errors(_ connector: String) -> [ConfigError] {
        do {
            _ = try load(connector)
            XCTFail("expected errors")
            return []
        } catch {
            return (error as? ConfigurationErrors)?.errors ?? []
        }
    }

    func testAFullFeedSection() throws {
        try "-----BEGIN CERTIFICATE-----\n".write(toFile: root + "/ca.pem", atomically: true, encoding: .utf8)
        let configuration = try load("""
            [Connector]
            Name=shop
            Kind=order-feed

            [Feed]
            URL=https://shop.example/api/orders?channel=web
            Format=json-object
            RecordsPath=data.orders
            NextPath=links.next
            UpdatedSinceParameter=updated_since
            AfterIDParameter=after_id
            PageSize=200
            Auth=bearer
            Credential=shop-token
            CAFile=../ca.pem
            ConnectTimeout=5s
            PageTimeout=2min
            LowSpeedLimit=1K
            LowSpeedTime=20s
            MaxResponseSize=8M
            Retries=3
            RetryDelay=2s
            RetryDelayMax=1min

            [Mapping]
            order_no=order_id
            buyer.email=email
            buyer.alt_email=email
            lines=items
            """)
        let feed = try XCTUnwrap(configuration.connector(named: "shop")?.feed)
        XCTAssertEqual(feed.url, "https://shop.example/api/orders?channel=web")
        XCTAssertEqual(feed.format, .jsonObject)
        XCTAssertEqual(feed.recordsPath?.text, "data.orders")
        XCTAssertEqual(feed.nextPath?.text, "links.next")
        XCTAssertEqual(feed.incremental, .updatedSince(parameter: "updated_since", afterIDParameter: "after_id"))
        XCTAssertEqual(feed.pageSize, 200)
        XCTAssertEqual(feed.authentication, .bearer(.named("shop-token")))
        XCTAssertEqual(feed.caFile, root + "/ca.pem")
        XCTAssertEqual(feed.connectTimeout, 5)
        XCTAssertEqual(feed.pageTimeout, 120)
        XCTAssertEqual(feed.lowSpeedLimit, 1024)
        XCTAssertEqual(feed.maxResponseSize, 8 << 20)
        XCTAssertEqual(feed.retries, 3)
        XCTAssertEqual(feed.retryDelayMax, 60)
        XCTAssertEqual(feed.mapping.paths(for: .customer(.email)).map(\.text), ["buyer.email", "buyer.alt_email"])
        XCTAssertEqual(feed.mapping.paths(for: .order(.orderID)).map(\.text), ["order_no"])
        XCTAssertEqual(feed.mapping.paths(for: .order(.status)).map(\.text), ["status"], "unmapped order fields use their own name")
    }

    func testDefaultsNeedOnlyAURL() throws {
        let configuration = try load("[Connector]\nName=shop\nKind=order-feed\n[Feed]\nURL=http://127.0.0.1:8080/orders\n")
        let feed = try XCTUnwrap(configuration.connector(named: "shop")?.feed)
        XCTAssertEqual(feed.format, .jsonArray)
        XCTAssertEqual(feed.incremental, .none)
        XCTAssertEqual(feed.authentication, .none)
        XCTAssertEqual(feed.maxResponseSize, FeedSettings.defaultMaxResponseSize)
    }

    func testErrorsNameFileLineAndKey() {
        let found = errors("""
            [Connector]
            Name=shop
            Kind=order-feed

            [Feed]
            URL=https://user:pw@shop.example/orders
            Format=xml
            CursorParameter=cursor
            UpdatedSinceParameter=since
            Auth=bearer
            MaxResponseSize=12 parsecs
            CAFile=/nonexistent/ca.pem
            Retries=-1
            Timeout=5s

            [Mapping]
            customer.mail=emial
            a..b=status
            """)
        let byKey = Dictionary(found.map { ($0.key ?? "", $0) }, uniquingKeysWith: { first, _ in first })
        XCTAssertEqual(byKey["URL"]?.line, 6)
        XCTAssertTrue(byKey["URL"]?.message.contains("credential file") == true)
        XCTAssertTrue(byKey["Format"]?.message.contains("json-array, json-object, ndjson") == true)
        XCTAssertEqual(byKey["UpdatedSinceParameter"]?.line, 9)
        XCTAssertTrue(byKey["Auth"]?.message.contains("needs Credential=") == true)
        XCTAssertTrue(byKey["MaxResponseSize"]?.message.contains("not a size") == true)
        XCTAssertTrue(byKey["CAFile"]?.message.contains("does not exist") == true)
        XCTAssertEqual(byKey["Retries"]?.line, 13)
        XCTAssertTrue(byKey["Timeout"]?.message.contains("unknown key in [Feed]") == true)
        XCTAssertEqual(byKey["customer.mail"]?.line, 17)
        XCTAssertTrue(byKey["customer.mail"]?.message.contains("did you mean email?") == true)
        XCTAssertTrue(byKey["a..b"]?.message.contains("not a JSON path") == true)
        XCTAssertTrue(found.allSatisfy { $0.file.hasSuffix("connectors.d/shop.conf") }, "\(found)")
    }

    func testUpdatedSinceOverlapNeedsUpdatedSinceAndADuration() {
        XCTAssertTrue(errors("[Connector]\nName=shop\nKind=order-feed\n[Feed]\nURL=http://h/\nUpdatedSinceOverlap=5min\n")
            .contains { $0.key == "UpdatedSinceOverlap" && $0.message.contains("needs UpdatedSinceParameter=") })
        XCTAssertTrue(errors("[Connector]\nName=shop\nKind=order-feed\n[Feed]\nURL=http://h/\nUpdatedSinceParameter=since\nUpdatedSinceOverlap=soon\n")
            .contains { $0.key == "UpdatedSinceOverlap" && $0.message.contains("not a duration") })
    }

    func testKindNeedsItsSectionAndTheSectionItsKind() {
        XCTAssertTrue(errors("[Connector]\nName=shop\nKind=order-feed\n").contains { $0.message.contains("needs a [Feed] section") })
        XCTAssertTrue(errors("[Connector]\nName=shop\nKind=exec\n[Exec]\nCommand=/bin/true\n[Feed]\nURL=http://h/\n")
            .contains { $0.message.contains("[Feed] is only for Kind=order-feed") })
        XCTAssertTrue(errors("[Connector]\nName=shop\nKind=order-feed\n[Feed]\nURL=http://h/\nRecordsPath=data\n")
            .contains { $0.key == "RecordsPath" && $0.message.contains("Format=json-object") })
        XCTAssertTrue(errors("[Connector]\nName=shop\nKind=order-feed\n[Feed]\nURL=http://h/\nCredential=token\n")
            .contains { $0.key == "Credential" && $0.message.contains("Auth=bearer") })
    }
}
