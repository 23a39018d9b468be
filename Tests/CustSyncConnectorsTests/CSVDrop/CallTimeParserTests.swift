@testable import CustSyncConnectors
import CustSyncCore
import Foundation
import XCTest

final class CSVDropCallTimeParserTests: XCTestCase {
    func testAutoFormats() {
        let parser = CallTimeParser(format: .auto, timeZone: TimeZone(identifier: "Asia/Shanghai")!)
        let cases: [(String, Double?)] = [
            ("2024-03-01 09:00:00", 1_709_254_800),
            ("2024-03-01T09:00:00", 1_709_254_800),
            ("2024/3/1 9:00", 1_709_254_800),
            ("2024.03.01 09:00:00.500", 1_709_254_800.5),
            ("2024年3月1日 09:00", 1_709_254_800),
            ("2024-03-01", 1_709_222_400),
            ("2024-03-01T01:00:00Z", 1_709_254_800),
            ("2024-03-01 09:00:00+08:00", 1_709_254_800),
            ("2024-03-01 03:00:00 -0200", 1_709_269_200),
            ("2024-02-29 00:00:00", 1_709_136_000),
            ("2023-02-29 00:00:00", nil),
            ("2024-13-01 00:00:00", nil),
            ("2024-03-01 24:00:00", nil),
            ("2024-03-01 09:00:00 garbage", nil),
            ("yesterday", nil),
            ("", nil),
        ]
        for (text, expected) in cases {
            XCTAssertEqual(parser.parse(text)?.timeIntervalSince1970, expected, text)
        }
    }

    func testDaylightSavingZone() {
        let parser = CallTimeParser(format: .auto, timeZone: TimeZone(identifier: "Europe/Berlin")!)
        XCTAssertEqual(parser.parse("2024-07-01 12:00:00")?.timeIntervalSince1970, 1_719_828_000)  // CEST
        XCTAssertEqual(parser.parse("2024-01-01 12:00:00")?.timeIntervalSince1970, 1_704_106_800)  // CET
    }

    func testEpochAndPattern() {
        let epoch = CallTimeParser(format: .epoch, timeZone: .current)
        XCTAssertEqual(epoch.parse("1709254800")?.timeIntervalSince1970, 1_709_254_800)
        XCTAssertNil(epoch.parse("soon"))
        let pattern = CallTimeParser(format: .pattern("dd.MM.yyyy HH:mm"), timeZone: TimeZone(identifier: "UTC")!)
        XCTAssertEqual(pattern.parse("01.03.2024 01:00")?.timeIntervalSince1970, 1_709_254_800)
        XCTAssertNil(pattern.parse("2024-03-01"))
    }

    func testDropFileNamesAreMadeSafe() {
        XCTAssertEqual(DropFileName(bytes: Array("通话.csv".utf8)).text, "通话.csv")
        XCTAssertEqual(DropFileName(bytes: [0xB5, 0xE7, 0x2E, 0x63]).text, "%B5%E7.c")
        XCTAssertEqual(DropFileName(bytes: [0x61, 0x0A, 0x62]).text, "a%0Ab")
        XCTAssertFalse(DropFileName("..").isUsable)
        XCTAssertFalse(DropFileName(bytes: [0x61, 0x2F, 0x62]).isUsable)
        XCTAssertTrue(DropFileName(".x").isHidden)
    }
}
