import CustSyncCore
import Foundation
import XCTest

final class CSVDropSettingsTests: XCTestCase {
    private var root = ""

    override func setUpWithError() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("custsync-csvdrop-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: root + "/etc/connectors.d", withIntermediateDirectories: true)
        try "[Daemon]\nSpoolDirectory=../spool\n".write(toFile: root + "/etc/custsyncd.conf", atomically: true, encoding: .utf8)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: root)
    }

    private func load(_ connector: String) throws -> Configuration {
        try connector.write(toFile: root + "/etc/connectors.d/calls.conf", atomically: true, encoding: .utf8)
        return try Configuration.load(path: root + "/etc/custsyncd.conf", environment: [:])
    }

    private func errors(_ connector: String) -> [String] {
        do {
            _ = try load(connector)
            XCTFail("expected errors")
            return []
        } catch let error as ConfigurationErrors {
            return error.errors.map(\.description)
        } catch {
            XCTFail("\(error)")
            return []
        }
    }

    func testDefaultsAndMapping() throws {
        let configuration = try load("""
            [Connector]
            Name=callcenter
            Kind=csv-drop

            [Mapping]
            "Caller Number"=phone
            客户姓名=name
            通话时间=call.time
            坐席=call.agent
            """)
        let csv = try XCTUnwrap(configuration.connectors.first?.csv)
        XCTAssertEqual(csv.directory, root + "/spool/callcenter")
        XCTAssertEqual(csv.encoding, .auto)
        XCTAssertEqual(csv.delimiter, UInt8(ascii: ","))
        XCTAssertTrue(csv.header)
        XCTAssertEqual(csv.maxLineLength, 1_048_576)
        XCTAssertEqual(csv.maxFileSize, 1 << 30)
        XCTAssertEqual(csv.settleTime, 1)
        XCTAssertEqual(csv.rescanInterval, 30)
        XCTAssertNil(csv.markerSuffix)
        XCTAssertEqual(csv.ignorePatterns, ["*.tmp", "*.part"])
        XCTAssertEqual(csv.archiveDays, 30)
        XCTAssertEqual(csv.timeFormat, .auto)
        XCTAssertEqual(csv.columns.map(\.column), ["Caller Number", "客户姓名", "通话时间", "坐席"])
        XCTAssertEqual(csv.columns.map(\.target), [.customer(.phone), .customer(.name), .call(.time), .call(.agent)])
    }

    func testEverySetting() throws {
        let configuration = try load("""
            [Connector]
            Name=callcenter
            Kind=csv-drop

            [CSV]
            Directory=../drop
            Encoding=GBK
            Delimiter=pipe
            Header=no
            MaxLineLength=64K
            MaxFileSize=2G
            SettleTime=500ms
            RescanInterval=1min
            MarkerSuffix=.done
            IgnorePatterns=*.bak
            IgnorePatterns=~*
            ArchiveDays=0
            TimeFormat=dd.MM.yyyy HH:mm
            TimeZone=Asia/Shanghai

            [Mapping]
            1=phone
            3=call.notes
            """)
        let csv = try XCTUnwrap(configuration.connectors.first?.csv)
        XCTAssertEqual(csv.directory, root + "/etc/drop")
        XCTAssertEqual(csv.encoding, .gb18030)
        XCTAssertEqual(csv.delimiter, UInt8(ascii: "|"))
        XCTAssertFalse(csv.header)
        XCTAssertEqual(csv.maxLineLength, 65_536)
        XCTAssertEqual(csv.maxFileSize, 2 << 30)
        XCTAssertEqual(csv.settleTime, 0.5)
        XCTAssertEqual(csv.rescanInterval, 60)
        XCTAssertEqual(csv.markerSuffix, ".done")
        XCTAssertEqual(csv.ignorePatterns, ["*.bak", "~*"])
        XCTAssertEqual(csv.archiveDays, 0)
        XCTAssertEqual(csv.timeFormat, .pattern("dd.MM.yyyy HH:mm"))
        XCTAssertEqual(csv.timeZone.identifier, "Asia/Shanghai")
        XCTAssertTrue(csv.dialect(for: .gb18030).doubleByteEncoding)
        XCTAssertFalse(csv.dialect(for: .utf8).doubleByteEncoding)
    }

    func testErrorsNameFileLineAndKey() {
        let found = errors("""
            [Connector]
            Name=callcenter
            Kind=csv-drop

            [CSV]
            Encoding=latin-7
            Delimiter=ab
            MaxFileSize=lots
            Header=maybe
            Dirctory=/x

            [Mapping]
            Phone=phon
            Mobile=phone
            Cell=phone
            """)
        let file = root + "/etc/connectors.d/calls.conf"
        XCTAssertTrue(found.contains { $0.hasPrefix("\(file):6: Encoding: \"latin-7\" is not a supported encoding") }, "\(found)")
        XCTAssertTrue(found.contains { $0.hasPrefix("\(file):7: Delimiter: \"ab\" is not a usable delimiter") }, "\(found)")
        XCTAssertTrue(found.contains { $0.hasPrefix("\(file):8: MaxFileSize: \"lots\" is not a size") }, "\(found)")
        XCTAssertTrue(found.contains { $0.hasPrefix("\(file):9: Header: \"maybe\" is not a boolean") }, "\(found)")
        XCTAssertTrue(found.contains { $0.hasPrefix("\(file):10: Dirctory: unknown key in [CSV]") && $0.contains("did you mean Directory?") }, "\(found)")
        XCTAssertTrue(found.contains { $0.hasPrefix("\(file):13: Phone: unknown target \"phon\"") && $0.contains("did you mean phone?") }, "\(found)")
        XCTAssertTrue(found.contains { $0.hasPrefix("\(file):15: Cell: phone is already mapped from column \"Mobile\" on line 14") }, "\(found)")
    }

    func testKindSpecificChecks() {
        let noMapping = errors("[Connector]\nName=callcenter\nKind=csv-drop\n")
        XCTAssertTrue(noMapping.contains { $0.contains("Kind=csv-drop needs a [Mapping] section") }, "\(noMapping)")
        let noIdentity = errors("[Connector]\nName=callcenter\nKind=csv-drop\n[Mapping]\nAgent=call.agent\n")
        XCTAssertTrue(noIdentity.contains { $0.contains("no column is mapped to phone, email, name or key") }, "\(noIdentity)")
        let wrongKind = errors("[Connector]\nName=x\nKind=exec\n[Exec]\nCommand=/bin/true\n[CSV]\nHeader=yes\n")
        XCTAssertTrue(wrongKind.contains { $0.contains("[CSV] is only for Kind=csv-drop") }, "\(wrongKind)")
        let byName = errors("[Connector]\nName=x\nKind=csv-drop\n[CSV]\nHeader=no\n[Mapping]\nPhone=phone\n")
        XCTAssertTrue(byName.contains { $0.contains("with Header=no, columns are mapped by number") }, "\(byName)")
    }

    func testSizesOutOfRangeNameTheKey() {
        let found = errors("[Connector]\nName=x\nKind=csv-drop\n[CSV]\nMaxLineLength=0\nMaxFileSize=0\n[Mapping]\nPhone=phone\n")
        XCTAssertTrue(found.contains { $0.contains("MaxLineLength: 0 is out of range (use from 1 byte to 1G") }, "\(found)")
        XCTAssertTrue(found.contains { $0.contains("MaxFileSize: 0 is out of range (use a size larger than 0") }, "\(found)")
    }
}
