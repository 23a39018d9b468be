@testable import CustSyncCore
import XCTest

final class CustomerQueriesTests: XCTestCase {
    private func store() throws -> (TemporaryStore, Engine) {
        let store = TemporaryStore()
        let engine = try store.engine()
        _ = try engine.apply(Batch(source: "crm", items: [
            record("C1", [.name: "张伟", .email: "ZhangWei@Example.com", .phone: "138 0013 8000", .company: "Acme"],
                   interaction: Interaction(kind: .order, key: "O-1", occurredAt: Date(timeIntervalSince1970: 50))),
            record("C2", [.name: "Ann Lee", .email: "ann@example.org"]),
        ], nextCursor: nil))
        return (store, engine)
    }

    func testResolveByCodeEmailAndPhone() throws {
        let (_, engine) = try store()
        let queries = CustomerQueries(connection: engine.connection)
        let identity = IdentitySettings()
        XCTAssertEqual(try queries.resolve("KH-0000001", identity: identity).code, "KH-0000001")
        XCTAssertEqual(try queries.resolve("zhangwei@EXAMPLE.com", identity: identity).code, "KH-0000001")
        XCTAssertEqual(try queries.resolve("+86 138-0013-8000", identity: identity).code, "KH-0000001")
        XCTAssertThrowsError(try queries.resolve("nobody@example.com", identity: identity)) { error in
            XCTAssertEqual((error as? ControlFailure)?.exit, 5)
        }
        try engine.connection.execute("UPDATE customers SET merged_into = 'KH-0000001' WHERE code = 'KH-0000002'")
        let merged = try queries.resolve("KH-0000002", identity: identity)
        XCTAssertEqual(merged.code, "KH-0000001")
        XCTAssertEqual(merged.mergedFrom, "KH-0000002")
    }

    func testViewCarriesProvenance() throws {
        let (_, engine) = try store()
        let view = try XCTUnwrap(try CustomerQueries(connection: engine.connection).view(code: "KH-0000001"))
        let email = try XCTUnwrap(view.fields.first { $0.field == "email" })
        XCTAssertEqual(email.value, "zhangwei@example.com")
        XCTAssertEqual(email.source, "crm")
        XCTAssertEqual(email.rule, "first-value")
        XCTAssertEqual(Set(view.identifiers.map(\.kind)), ["email", "phone"])
        XCTAssertEqual(view.interactionCount, 1)
        XCTAssertEqual(view.interactions.first?.key, "O-1")
    }

    func testSearchMatchesPersonalDataOnlyExactlyForMaskedCallers() throws {
        let (_, engine) = try store()
        let queries = CustomerQueries(connection: engine.connection)
        func codes(_ text: String, admin: Bool) throws -> [String] {
            var filter = CustomerFilter()
            filter.text = text
            return try queries.search(filter, identity: IdentitySettings(), substringOnPersonalData: admin).customers.map(\.code)
        }
        XCTAssertEqual(try codes("acm", admin: false), ["KH-0000001"])
        XCTAssertEqual(try codes("Lee", admin: false), ["KH-0000002"])
        XCTAssertEqual(try codes("ann@example.org", admin: false), ["KH-0000002"])
        XCTAssertEqual(try codes("13800138000", admin: false), ["KH-0000001"])
        XCTAssertEqual(try codes("ann@exa", admin: false), [])
        XCTAssertEqual(try codes("ann@exa", admin: true), ["KH-0000002"])
        XCTAssertEqual(try codes("0013", admin: true), ["KH-0000001"])
        var page = CustomerFilter()
        page.limit = 1
        let first = try queries.search(page, identity: IdentitySettings(), substringOnPersonalData: false)
        XCTAssertEqual(first.customers.map(\.code), ["KH-0000001"])
        XCTAssertTrue(first.more)
        page.after = "KH-0000001"
        XCTAssertEqual(try queries.search(page, identity: IdentitySettings(), substringOnPersonalData: false).customers.map(\.code), ["KH-0000002"])
    }

    func testExportStreamsEveryLiveCustomer() throws {
        let (_, engine) = try store()
        var exported: [ExportRecord] = []
        try CustomerQueries(connection: engine.connection).export(includeMerged: false) { exported.append($0) }
        XCTAssertEqual(exported.map(\.code), ["KH-0000001", "KH-0000002"])
        XCTAssertEqual(exported[0].identifiers, [.init(kind: "email", value: "zhangwei@example.com"), .init(kind: "phone", value: "+8613800138000")])
        XCTAssertEqual(exported[0].csvCells.count, ExportRecord.csvHeader.count)
    }

    func testAMergedCustomersInteractionsAndIdentifiersShowUnderTheSurvivor() throws {
        let (_, engine) = try store()
        _ = try engine.apply(Batch(source: "shop", items: [
            record("S9", [.name: "Ann Lee", .email: "ann@example.org"],
                   interaction: Interaction(kind: .order, key: "O-2", occurredAt: Date(timeIntervalSince1970: 60))),
        ], nextCursor: nil))
        try engine.mergeCustomers("KH-0000002", into: "KH-0000001", source: "admin:test")
        let queries = CustomerQueries(connection: engine.connection)
        let view = try XCTUnwrap(try queries.view(code: "KH-0000001"))
        XCTAssertEqual(view.aliases, ["KH-0000002"])
        XCTAssertEqual(view.interactionCount, 2)
        XCTAssertEqual(view.interactions.map(\.key), ["O-2", "O-1"])
        XCTAssertTrue(view.identifiers.contains { $0.kind == "email" && $0.value == "ann@example.org" })
        var exported: [ExportRecord] = []
        try queries.export(includeMerged: false) { exported.append($0) }
        XCTAssertEqual(exported.map(\.code), ["KH-0000001"])
        XCTAssertTrue(exported[0].identifiers.contains(.init(kind: "email", value: "ann@example.org")))
    }
}
