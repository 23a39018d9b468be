@testable import CustSyncConnectors
import CustSyncCore
import Foundation
import XCTest

/// The small parsers of the order feed, table-driven.
final class OrderFeedParsingTests: XCTestCase {
    func testJSONParserAcceptsValidText() throws {
        let cases: [(String, JSONValue)] = [
            ("[]", .array([])),
            (" {} ", .object([])),
            ("[1, -0.5e3, 1234567890123456789]", .array([.number("1"), .number("-0.5e3"), .number("1234567890123456789")])),
            (#"{"a":"x\"y\\z\u00e9\ud83d\ude00","b":[true,false,null]}"#,
             .object([.init(key: "a", value: .string("x\"y\\zé😀")),
                      .init(key: "b", value: .array([.bool(true), .bool(false), .null]))])),
            ("\"订单\"", .string("订单")),
        ]
        for (text, expected) in cases {
            XCTAssertEqual(try JSONParser.parse(Array(text.utf8)), expected, text)
        }
    }

    func testJSONParserRejectsGarbageAndSaysWhere() {
        let cases: [(String, Bool)] = [ // text, whether it is a truncation
            ("", true), ("[1,2", true), ("{\"a\":", true), ("\"abc", true), ("[1,]", false), ("01", false),
            ("{a:1}", false), ("[1] x", false), ("\"tab\there\"", false), ("nul", true), ("[\"\\x\"]", false),
            ("\"\\ud800\"", false), (String(repeating: "[", count: 100), false),
        ]
        for (text, truncated) in cases {
            XCTAssertThrowsError(try JSONParser.parse(Array(text.utf8)), text) { error in
                XCTAssertEqual((error as? JSONSyntaxError)?.atEnd, truncated, "\(text): \(error)")
            }
        }
        XCTAssertThrowsError(try JSONParser.parse([0x22, 0xC3, 0x28, 0x22]), "invalid UTF-8")
    }

    func testTimestamps() {
        let cases: [(JSONValue, Double?)] = [
            (.string("2024-05-01T10:00:00Z"), 1_714_557_600),
            (.string("2024-05-01T18:00:00+08:00"), 1_714_557_600),
            (.string("2024-05-01 10:00:00.250"), 1_714_557_600.25),
            (.string("2024-05-01"), 1_714_521_600),
            (.number("1714557600"), 1_714_557_600),
            (.number("1714557600000"), 1_714_557_600),
            (.string("1714557600"), 1_714_557_600),
            (.string("2024-13-01T00:00:00Z"), nil),
            (.string("yesterday"), nil),
            (.number("1e30"), nil),
            (.number("253402300800000"), nil),
            (.number("253402300799000"), 253_402_300_799),
            (.bool(true), nil),
        ]
        for (value, expected) in cases {
            XCTAssertEqual(FeedTimestamp(value)?.date.timeIntervalSince1970, expected, "\(value)")
        }
    }

    func testLinkHeader() {
        XCTAssertEqual(LinkHeader.target(rel: "next", in: [#"<https://a/x?p=2>; rel="next", <https://a/x>; rel="first""#]),
                       "https://a/x?p=2")
        XCTAssertEqual(LinkHeader.target(rel: "next", in: [#"<https://a/x>; rel="first", </x?p=3>; title="a, b"; rel="prev next""#]),
                       "/x?p=3")
        XCTAssertEqual(LinkHeader.target(rel: "next", in: ["<https://a/last>; rel=last", "<https://a/2>; rel=next"]),
                       "https://a/2")
        XCTAssertNil(LinkHeader.target(rel: "next", in: [#"<https://a/x>; rel="prev""#]))
        XCTAssertNil(LinkHeader.target(rel: "next", in: [#"<https://h/o?a=1>; title="a;rel=next"; rel="prev""#]),
                     "a semicolon inside quotes does not start a parameter")
    }

    func testAFoldedHeaderLineContinuesTheFieldBeforeIt() {
        // As libcurl hands them over: the continuation is a line of its own.
        let headers = HTTPHeaders(lines: ["HTTP/1.1 200 OK", #"Link: </a?p=0>; rel="prev","#, #" </a?p=2>; rel="next""#,
                                          "X-Note: a", "\tETag: b", "Content-Type: application/json"])
        XCTAssertEqual(headers.values("Link"), [#"</a?p=0>; rel="prev", </a?p=2>; rel="next""#])
        XCTAssertEqual(LinkHeader.target(rel: "next", in: headers.values("link")), "/a?p=2")
        XCTAssertEqual(headers["x-note"], "a ETag: b", "a tab folds too, and the folded text is no field of its own")
        XCTAssertNil(headers["ETag"])
        XCTAssertEqual(headers["content-type"], "application/json")
    }

    func testFeedURLs() {
        XCTAssertEqual(FeedURL.setting([("updated_since", "2024-05-01T10:00:00+08:00"), ("limit", "5")],
                                       in: "https://shop/api/orders?limit=100&x=1"),
                       "https://shop/api/orders?x=1&updated_since=2024-05-01T10%3A00%3A00%2B08%3A00&limit=5")
        XCTAssertEqual(FeedURL.resolve("/orders?p=2", against: "http://127.0.0.1:8080/orders?p=1"),
                       "http://127.0.0.1:8080/orders?p=2")
        XCTAssertEqual(FeedURL.resolve("?p=2", against: "http://h/api/orders"), "http://h/api/orders?p=2")
        XCTAssertNil(FeedURL.resolve("ftp://h/x", against: "http://h/"))
        XCTAssertEqual(FeedURL.origin(of: "HTTPS://Shop.Example/a"), "https://shop.example:443")
        XCTAssertNotEqual(FeedURL.origin(of: "http://shop.example:8080/a"), FeedURL.origin(of: "http://shop.example/a"))
    }

    func testFeedPaths() throws {
        XCTAssertEqual(try FeedPath(parsing: "customer.email").components, [.key("customer"), .key("email")])
        XCTAssertEqual(try FeedPath(parsing: "$.lines[0].sku").components, [.key("lines"), .index(0), .key("sku")])
        XCTAssertEqual(try FeedPath(parsing: "[2]").components, [.index(2)])
        for bad in ["", "a..b", "a.", "a[x]", "a[1", "a]b", "a[0]b", "$"] {
            XCTAssertThrowsError(try FeedPath(parsing: bad), bad)
        }
        let order = try JSONParser.parse(Array(#"{"lines":[{"sku":"A"}],"c":{"e":"x@y"}}"#.utf8))
        XCTAssertEqual(order.value(at: try FeedPath(parsing: "lines[0].sku")), .string("A"))
        XCTAssertNil(order.value(at: try FeedPath(parsing: "lines[1].sku")))
        XCTAssertNil(order.value(at: try FeedPath(parsing: "c.e.f")))
    }

    func testRetryAfter() {
        let now = Date(timeIntervalSince1970: 1_714_557_600)
        XCTAssertEqual(RetryAfter.delay("120", now: now), 120)
        XCTAssertEqual(RetryAfter.delay("Wed, 01 May 2024 10:00:30 GMT", now: now), 30)
        XCTAssertNil(RetryAfter.delay("soon", now: now))
        XCTAssertEqual(RetryAfter.delay("99999999999999999999", now: now), 86_400, "at most a day")
        XCTAssertEqual(RetryAfter.delay("Fri, 01 May 2099 10:00:00 GMT", now: now), 86_400)
        XCTAssertEqual(ConfigValueParser.formatDuration(1e300), "3650d")
    }

    func testCursorRoundTripAndForeignCursors() {
        var cursor = FeedCursor()
        cursor.next = "https://shop/orders?after=5&p=2"
        cursor.updatedSince = "2024-05-01T10:00:00+08:00"
        cursor.afterID = "O-5"
        XCTAssertEqual(FeedCursor(cursor.cursor), cursor)
        XCTAssertNil(FeedCursor(Cursor("1234")))
        XCTAssertNil(FeedCursor(Cursor(#"{"v":2}"#)))
    }

    func testOrderAmountsAsShopsWriteThem() {
        let read: [(String, Double?)] = [
            ("12.50", 12.5), ("-3", -3), ("1e3", 1000), ("1,234.50", 1234.5), ("12,000", 12000),
            ("-1,234,567.8", -1234567.8), ("+1,000", 1000),
            // A decimal comma, or commas that are not thousands, read either way would be wrong.
            ("12,50", nil), ("1.234,50", nil), ("1,23,456", nil), ("1234,567", nil), (",123", nil),
            ("1,234.", nil), ("1,,234", nil), ("1,234.5x", nil), ("¥1,234", nil), ("inf", nil), ("lots", nil),
        ]
        for (text, expected) in read {
            XCTAssertEqual(OrderAmount.parse(text), expected, text)
        }
    }

    func testOrderMapping() throws {
        let mapping = FeedMapping(rules: [
            .init(path: try FeedPath(parsing: "buyer.mail"), target: .customer(.email), line: 1),
            .init(path: try FeedPath(parsing: "buyer.no"), target: .order(.customerID), line: 2),
        ])
        let mapper = OrderMapper(mapping: mapping)
        let order = try JSONParser.parse(Array(#"{"id":1001,"status":"paid","updated_at":"2024-05-01T10:00:00Z","buyer":{"mail":"A@B.example","no":77},"items":[{"sku":"X"},{"sku":"Y"}],"total":"1,234.50","currency":"cny"}"#.utf8))
        let record = try mapper.record(from: order, origin: "page 1").get()
        XCTAssertEqual(record.key, "77")
        XCTAssertEqual(record.fields, [.email: "A@B.example"])
        XCTAssertEqual(record.interaction?.key, "1001")
        XCTAssertEqual(record.interaction?.kind, .order)
        XCTAssertEqual(record.interaction?.amount, 1234.5)
        XCTAssertEqual(record.interaction?.currency, "CNY")
        XCTAssertEqual(record.interaction?.status, "paid")
        XCTAssertEqual(record.interaction?.summary, "2 items")
        XCTAssertEqual(record.interaction?.details["items"], #"[{"sku":"X"},{"sku":"Y"}]"#)

        let failures: [(String, String)] = [
            (#"{"status":"paid","updated_at":"2024-05-01T10:00:00Z"}"#, "has no id at id"),
            (#"{"id":{"x":1},"updated_at":"2024-05-01T10:00:00Z"}"#, "is an object"),
            (#"{"id":"A","updated_at":"last week"}"#, "is not a timestamp"),
            (#"{"id":"A"}"#, "has no updated_at or ordered_at"),
            (#"{"id":"A","updated_at":"2024-05-01","total":true}"#, "is not a number"),
            (#"{"id":"A","updated_at":"2024-05-01","total":"12,50"}"#, "is not a number"),
            (#"{"id":"A","updated_at":"2024-05-01","buyer":{"mail":["x"]}}"#, "is an array, not a value"),
            ("[1]", "not an order object"),
        ]
        for (text, expected) in failures {
            let value = try JSONParser.parse(Array(text.utf8))
            switch mapper.record(from: value, origin: "o") {
            case .success: XCTFail("\(text) was accepted")
            case .failure(let rejected): XCTAssertTrue(rejected.reason.contains(expected), "\(text): \(rejected.reason)")
            }
        }
    }
}
