@testable import CustSyncConnectors
import CustSyncCore
import Foundation
import XCTest

final class ExecLineParserTests: XCTestCase {
    let parser = ExecLineParser(now: { Date(timeIntervalSince1970: 1_000) })

    func testRecordWithFieldsAndInteraction() throws {
        let line = #"{"type":"record","key":"C1","observed_at":"2026-01-02T03:04:05Z","fields":{"name":"张伟","phone":"13800138000"},"interaction":{"kind":"order","key":"O1","amount":"12.5","status":"paid"}}"#
        guard case .record(let record) = try parser.parse(line, origin: "line 1") else { return XCTFail("not a record") }
        XCTAssertEqual(record.key, "C1")
        XCTAssertEqual(record.fields[.name], "张伟")
        XCTAssertEqual(record.observedAt, ISO8601.date("2026-01-02T03:04:05Z"))
        XCTAssertEqual(record.interaction?.kind, .order)
        XCTAssertEqual(record.interaction?.amount, 12.5)
        XCTAssertEqual(record.interaction?.occurredAt, record.observedAt)
        XCTAssertEqual(record.origin, "line 1")
    }

    func testNumericKeyAndEpochTime() throws {
        guard case .record(let record) = try parser.parse(#"{"type":"record","key":42,"observed_at":5,"fields":{"email":"a@b.cn"}}"#, origin: "x")
        else { return XCTFail("not a record") }
        XCTAssertEqual(record.key, "42")
        XCTAssertEqual(record.observedAt, Date(timeIntervalSince1970: 5))
    }

    func testStateAndLog() throws {
        XCTAssertEqual(try parser.parse(#"{"type":"state","cursor":"17"}"#, origin: "x"), .state(Cursor("17")))
        XCTAssertEqual(try parser.parse(#"{"type":"state","cursor":17}"#, origin: "x"), .state(Cursor("17")))
        XCTAssertEqual(try parser.parse(#"{"type":"log","level":"warning","message":"hi"}"#, origin: "x"), .log(level: "warning", message: "hi"))
    }

    func testMalformedLinesNameTheProblem() {
        let cases: [(String, String)] = [
            ("not json", "not a JSON object"),
            ("[1,2]", "not a JSON object"),
            (#"{"key":"a"}"#, "missing \"type\""),
            (#"{"type":"banana"}"#, "unknown type"),
            (#"{"type":"record","fields":{}}"#, "without \"key\""),
            (#"{"type":"record","key":"a","fields":{"shoe":"x"}}"#, "unknown field \"shoe\""),
            (#"{"type":"record","key":"a","observed_at":"yesterday"}"#, "observed_at is not"),
            (#"{"type":"record","key":"a","interaction":{"kind":"fax","key":"1"}}"#, "unknown interaction kind"),
            (#"{"type":"record","key":"a","interaction":{"kind":"order"}}"#, "interaction without \"key\""),
            (#"{"type":"record","key":"a","interaction":{"kind":"order","key":"1","amount":"lots"}}"#, "amount is not a number"),
            (#"{"type":"state"}"#, "without \"cursor\""),
        ]
        for (line, expected) in cases {
            XCTAssertThrowsError(try parser.parse(line, origin: "x"), line) { error in
                let reason = (error as? ExecLineParser.Malformed)?.reason ?? ""
                XCTAssertTrue(reason.contains(expected), "\(line): \(reason)")
            }
        }
    }
}
