import Foundation
import Glibc
import XCTest
@testable import CustSyncCore

final class CSVReaderTests: XCTestCase {
    typealias Expect = TextTestSupport.Expect

    private struct Case {
        var name: String
        var input: String
        var dialect: CSVDialect = .comma
        var expected: [Expect]
    }

    private let wellFormed: [Case] = [
        Case(name: "simple", input: "a,b,c\n1,2,3\n",
             expected: [.row(["a", "b", "c"], line: 1), .row(["1", "2", "3"], line: 2)]),
        Case(name: "quoted fields", input: "\"a\",\"b c\",d\n", expected: [.row(["a", "b c", "d"], line: 1)]),
        Case(name: "quoted delimiter", input: "\"a,b\",c\n", expected: [.row(["a,b", "c"], line: 1)]),
        Case(name: "doubled quotes", input: "\"he said \"\"hi\"\"\",x\n",
             expected: [.row(["he said \"hi\"", "x"], line: 1)]),
        Case(name: "only a doubled quote", input: "\"\"\"\"\n", expected: [.row(["\""], line: 1)]),
        Case(name: "empty fields", input: "a,,\n\"\",b\n",
             expected: [.row(["a", "", ""], line: 1), .row(["", "b"], line: 2)]),
        Case(name: "embedded LF moves following line numbers", input: "id,note\n1,\"l1\nl2\"\n2,x\n",
             expected: [.row(["id", "note"], line: 1), .row(["1", "l1\nl2"], line: 2), .row(["2", "x"], line: 4)]),
        Case(name: "embedded CRLF and CR", input: "1,\"a\r\nb\rc\"\r\n2,d\r\n",
             expected: [.row(["1", "a\r\nb\rc"], line: 1), .row(["2", "d"], line: 4)]),
        Case(name: "CRLF", input: "a,b\r\nc,d\r\n", expected: [.row(["a", "b"], line: 1), .row(["c", "d"], line: 2)]),
        Case(name: "lone CR", input: "a,b\rc,d\r", expected: [.row(["a", "b"], line: 1), .row(["c", "d"], line: 2)]),
        Case(name: "mixed terminators", input: "a\nb\r\nc\rd",
             expected: [.row(["a"], line: 1), .row(["b"], line: 2), .row(["c"], line: 3), .row(["d"], line: 4)]),
        Case(name: "semicolon", input: "a;b;\"c;d\"\n1,5;2\n", dialect: .semicolon,
             expected: [.row(["a", "b", "c;d"], line: 1), .row(["1,5", "2"], line: 2)]),
        Case(name: "tab", input: "a\tb,c\t\"d\te\"\n", dialect: .tab, expected: [.row(["a", "b,c", "d\te"], line: 1)]),
        Case(name: "pipe", input: "a|b|\n", dialect: .pipe, expected: [.row(["a", "b", ""], line: 1)]),
        Case(name: "UTF-8 BOM", input: "\u{FEFF}name,phone\n张伟,13800138000\n",
             expected: [.row(["name", "phone"], line: 1), .row(["张伟", "13800138000"], line: 2)]),
        Case(name: "BOM then blank line", input: "\u{FEFF}\na\n", expected: [.row(["a"], line: 2)]),
        Case(name: "no final newline", input: "a,b\nc,d", expected: [.row(["a", "b"], line: 1), .row(["c", "d"], line: 2)]),
        Case(name: "quoted field at EOF", input: "a,\"b\"", expected: [.row(["a", "b"], line: 1)]),
        Case(name: "delimiter at EOF", input: "a,", expected: [.row(["a", ""], line: 1)]),
        Case(name: "blank lines skipped", input: "\n\na,b\n\r\n\rc\n\n",
             expected: [.row(["a", "b"], line: 3), .row(["c"], line: 6)]),
        Case(name: "only blank lines", input: "\n\r\n\r", expected: []),
        Case(name: "empty input", input: "", expected: []),
        Case(name: "line of spaces is a record", input: " \n", expected: [.row([" "], line: 1)]),
        Case(name: "multi-byte UTF-8", input: "张伟,上海市\n", expected: [.row(["张伟", "上海市"], line: 1)]),
    ]

    func testWellFormedInputs() throws {
        for test in wellFormed {
            let input = Array(test.input.utf8)
            for chunkSize in TextTestSupport.chunkSizes {
                for maxReadSize in [Int.max, 2] {
                    let context = "\(test.name) [chunk \(chunkSize), read \(maxReadSize)]"
                    let results = try TextTestSupport.readAll(
                        input, dialect: test.dialect, chunkSize: chunkSize, maxReadSize: maxReadSize)
                    XCTAssertEqual(results.map(TextTestSupport.expect), test.expected, context)
                    if chunkSize == 1 && maxReadSize == 2 || chunkSize == 65_536 && maxReadSize == Int.max {
                        try TextTestSupport.checkInvariants(results, input: input, dialect: test.dialect, context: context)
                    }
                }
            }
        }
    }

    func testBOMIsSkippedOnlyAtOffsetZero() throws {
        let input: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("a\n".utf8)
        guard case let .row(row)? = try TextTestSupport.readAll(input, chunkSize: 1).first else {
            return XCTFail("no row")
        }
        XCTAssertEqual(row.byteOffset, 3)
        XCTAssertEqual(row.rawBytes, Array("a".utf8))
        XCTAssertEqual(row.endOffset, 5)

        // A partial BOM is data, and the bytes read ahead to check it are not lost.
        let partial: [UInt8] = [0xEF, 0xBB] + Array("x\n".utf8)
        for chunkSize in TextTestSupport.chunkSizes {
            guard case let .row(row)? = try TextTestSupport.readAll(partial, chunkSize: chunkSize).first else {
                return XCTFail("no row")
            }
            XCTAssertEqual(row.fields, [[0xEF, 0xBB, 0x78]])
            XCTAssertEqual(row.byteOffset, 0)
        }
    }

    func testResumeFromEndOffsetOfAFile() throws {
        let text = "id,name\n1,\"张\n伟\"\n2,李四\r\n3,王五"
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("csvreader-\(UUID().uuidString).csv").path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }

        let first = CSVReader(source: try FileByteSource(path: path), chunkSize: 4)
        let all = try TextTestSupport.readAll(first)
        XCTAssertEqual(all.map(TextTestSupport.expect), [
            .row(["id", "name"], line: 1), .row(["1", "张\n伟"], line: 2), .row(["2", "李四"], line: 4),
            .row(["3", "王五"], line: 5),
        ])

        let cursor = all[1]
        let source = try FileByteSource(path: path)
        try source.seek(to: cursor.endOffset)
        let resumed = CSVReader(source: source, startOffset: cursor.endOffset, startLine: cursor.nextLine)
        XCTAssertEqual(try TextTestSupport.readAll(resumed), Array(all[2...]))
    }

    func testFileByteSourceClosesItsDescriptor() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("fbs-\(UUID().uuidString)").path
        try Data("x".utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        var fd: Int32 = -1
        do {
            let source = try FileByteSource(path: path)
            fd = source.fileDescriptor
            XCTAssertNotEqual(fcntl(fd, F_GETFD), -1)
        }
        XCTAssertEqual(fcntl(fd, F_GETFD), -1)
        XCTAssertThrowsError(try FileByteSource(path: path + ".missing"))
    }

    func testFileByteSourceStopsAtItsEndWhateverIsAppended() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("fbs-\(UUID().uuidString)").path
        try Data("0123456789".utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let source = try FileByteSource(path: path)
        source.end = 6
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 4, alignment: 1)
        defer { buffer.deallocate() }
        XCTAssertEqual(try source.read(into: buffer), 4)
        let appender = FileHandle(forWritingAtPath: path)!
        appender.seekToEndOfFile()
        appender.write(Data("abc".utf8))
        try appender.close()
        XCTAssertEqual(try source.read(into: buffer), 2)
        XCTAssertEqual(String(decoding: UnsafeRawBufferPointer(rebasing: buffer[0..<2]), as: UTF8.self), "45")
        XCTAssertEqual(try source.read(into: buffer), 0, "the end, not the appended bytes")
        try source.seek(to: 5)
        XCTAssertEqual(try source.read(into: buffer), 1, "counted from the offset sought")
    }

    func testGB18030FileEndToEnd() throws {
        // "姓名,电话\r\n张伟,13800138000\r\n" as written by a Chinese-locale Excel.
        let bytes = TextTestSupport.hex("d0d5 c3fb 2c b5e7 bbb0 0d0a d5c5 ceb0 2c") + Array("13800138000\r\n".utf8)
        XCTAssertEqual(bytes, TextTestSupport.encode("姓名,电话\r\n张伟,13800138000\r\n", to: "GB18030"))
        let encoding = try TextEncoding.detect(MemoryByteSource(bytes))
        XCTAssertEqual(encoding, .gb18030)
        let decoder = try CharsetDecoder(charset: encoding.fieldCharset)
        for chunkSize in TextTestSupport.chunkSizes {
            let reader = CSVReader(source: MemoryByteSource(bytes), chunkSize: chunkSize)
            guard case let .row(headerRow)? = try reader.next(), case let .row(row)? = try reader.next() else {
                return XCTFail("expected two rows")
            }
            let header = try CSVHeader(row: headerRow, decoder: decoder)
            let fields = try row.decodedFields(using: decoder)
            XCTAssertEqual(fields, ["张伟", "13800138000"])
            XCTAssertEqual(header.value(of: "电话", in: fields), "13800138000")
            XCTAssertEqual(row.line, 2)
            XCTAssertNil(try reader.next())
        }
    }

    func testPipeDelimitedGBKKeepsTrailBytesThatLookLikePipes() throws {
        // "亅" is 81 7C in GBK: its trail byte is a '|'.
        let bytes = TextTestSupport.hex("817c 7c 78 7c 817c817c 0a 61 7c 62 0a")
        var dialect = CSVDialect.pipe
        dialect.doubleByteEncoding = true
        let decoder = try CharsetDecoder(charset: "gbk")
        for chunkSize in TextTestSupport.chunkSizes {
            let results = try TextTestSupport.readAll(bytes, dialect: dialect, chunkSize: chunkSize)
            guard results.count == 2, case let .row(row) = results[0] else { return XCTFail("\(results)") }
            XCTAssertEqual(try row.decodedFields(using: decoder), ["亅", "x", "亅亅"], "chunk \(chunkSize)")
            XCTAssertEqual(TextTestSupport.expect(results[1]), .row(["a", "b"], line: 2))
        }
        // A lead byte cut off by the delimiter must not swallow it when that is not a trail byte.
        let truncated = TextTestSupport.hex("61 d5 2c 62 0a")
        var commaGBK = CSVDialect.comma
        commaGBK.doubleByteEncoding = true
        guard case let .row(row)? = try TextTestSupport.readAll(truncated, dialect: commaGBK, chunkSize: 1).first else {
            return XCTFail("no row")
        }
        XCTAssertEqual(row.fields, [[0x61, 0xD5], [0x62]])
    }

    func testUTF16FilesAreReadThroughTheTranscoder() throws {
        let text = "name,phone\r\n张伟,13800138000\r\n\"李\n四\",😀\r\n"
        for bigEndian in [false, true] {
            let bytes = TextTestSupport.utf16(text, bigEndian: bigEndian)
            XCTAssertEqual(try TextEncoding.detect(MemoryByteSource(bytes)), .utf16)
            for chunkSize in TextTestSupport.chunkSizes {
                let source = TextEncoding.utf16.readableSource(
                    MemoryByteSource(bytes, maxReadSize: chunkSize), chunkSize: chunkSize)
                let results = try TextTestSupport.readAll(CSVReader(source: source, chunkSize: chunkSize))
                XCTAssertEqual(results.map(TextTestSupport.expect), [
                    .row(["name", "phone"], line: 1), .row(["张伟", "13800138000"], line: 2),
                    .row(["李\n四", "😀"], line: 3),
                ], "bigEndian \(bigEndian), chunk \(chunkSize)")
                // Offsets count UTF-8 bytes of the transcoded stream.
                XCTAssertEqual(results[1].byteOffset, Int64("name,phone\r\n".utf8.count))
            }
        }
    }

    func testFieldDecodingErrorNamesTheField() throws {
        let bytes = Array("ok,".utf8) + [0x61, 0xC3, 0x28] + Array("\n".utf8)
        guard case let .row(row)? = try TextTestSupport.readAll(bytes).first else { return XCTFail("no row") }
        XCTAssertThrowsError(try row.decodedFields(using: CharsetDecoder(charset: "utf-8"))) { error in
            XCTAssertEqual(error as? CSVFieldDecodingError, CSVFieldDecodingError(
                line: 1, byteOffset: 0, field: 2, underlying: .invalidSequence(charset: "UTF-8", offset: 1)))
        }
    }

    func testDialectFromConfiguration() {
        XCTAssertEqual(CSVDialect(delimiterName: "tab")?.delimiter, 0x09)
        XCTAssertEqual(CSVDialect(delimiterName: "\\t")?.delimiter, 0x09)
        XCTAssertEqual(CSVDialect(delimiterName: ";")?.delimiter, UInt8(ascii: ";"))
        XCTAssertEqual(CSVDialect(delimiterName: "pipe")?.delimiter, UInt8(ascii: "|"))
        for unusable in ["\"", "\n", "；", "ab", ""] {
            XCTAssertNil(CSVDialect(delimiterName: unusable), unusable)
        }
    }
}
