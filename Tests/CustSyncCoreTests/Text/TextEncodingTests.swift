import XCTest
@testable import CustSyncCore

final class TextEncodingTests: XCTestCase {
    func testDetect() throws {
        let gbk = TextTestSupport.encode("姓名,电话\n张伟,13800138000\n", to: "GB18030")
        let cases: [(name: String, bytes: [UInt8], expected: TextEncoding)] = [
            ("empty", [], .utf8),
            ("ASCII", Array("a,b\n1,2\n".utf8), .utf8),
            ("UTF-8 Chinese", Array("姓名,电话\n张伟,13800138000\n".utf8), .utf8),
            ("UTF-8 BOM", [0xEF, 0xBB, 0xBF] + Array("a\n".utf8), .utf8),
            ("UTF-8 BOM then invalid", [0xEF, 0xBB, 0xBF, 0xD5, 0xC5], .utf8),
            ("UTF-16LE BOM", TextTestSupport.utf16("a,b\n", bigEndian: false), .utf16),
            ("UTF-16BE BOM", TextTestSupport.utf16("a,b\n", bigEndian: true), .utf16),
            ("UTF-16 BOM only", [0xFF, 0xFE], .utf16),
            ("GB18030", gbk, .gb18030),
            ("GB18030 four-byte", TextTestSupport.hex("61 9439fc36 0a"), .gb18030),
            ("UTF-8 cut at EOF", Array("张".utf8).dropLast(), .gb18030),
            ("overlong UTF-8", [0x61, 0xC0, 0xAF], .gb18030),
            ("UTF-8 encoded surrogate", [0xED, 0xA0, 0x80], .gb18030),
        ]
        for test in cases {
            for chunkSize in [1, 2, 3, 7, 65_536] {
                XCTAssertEqual(try TextEncoding.detect(MemoryByteSource(test.bytes), chunkSize: chunkSize), test.expected,
                               "\(test.name) [chunk \(chunkSize)]")
            }
        }
    }

    func testDetectLooksBeyondTheFirstChunk() throws {
        let source = GeneratedByteSource([(Array("abc,123\n".utf8), 200_000), ([0xD5, 0xC5, 0x0A], 3)])
        XCTAssertEqual(try TextEncoding.detect(source), .gb18030)
        let valid = GeneratedByteSource([(Array("张伟,".utf8), 7 * 100_003)])  // a character straddles every chunk end
        XCTAssertEqual(try TextEncoding.detect(valid), .utf8)
    }

    func testBinary() throws {
        let cases: [(name: String, bytes: [UInt8], binary: Bool)] = [
            ("text", Array("a,b\n".utf8), false),
            ("empty", [], false),
            ("NUL", [0x61, 0x00, 0x62], true),
            ("zip header", [0x50, 0x4B, 0x03, 0x04, 0x14, 0x00], true),
            ("UTF-16 with BOM", TextTestSupport.utf16("a,b\n", bigEndian: false), false),
            ("UTF-16 without BOM", TextTestSupport.utf16("a,b\n", bigEndian: false, bom: false), true),
            ("GB18030", TextTestSupport.encode("张伟", to: "GB18030"), false),
        ]
        for test in cases {
            XCTAssertEqual(TextEncoding.isBinary(prefix: test.bytes), test.binary, test.name)
            XCTAssertEqual(try TextEncoding.isBinary(MemoryByteSource(test.bytes, maxReadSize: 3)), test.binary, test.name)
        }
        let lateNUL = GeneratedByteSource([(Array("a".utf8), 70_000), ([0], 1)])
        XCTAssertFalse(try TextEncoding.isBinary(lateNUL))
        let earlyNUL = GeneratedByteSource([(Array("a".utf8), 65_535), ([0], 1)])
        XCTAssertTrue(try TextEncoding.isBinary(earlyNUL))
    }

    func testLabels() {
        let cases: [(String, TextEncoding?)] = [
            ("UTF-8", .utf8), ("utf8", .utf8), ("GBK", .gb18030), ("gb2312", .gb18030), ("GB18030", .gb18030),
            ("cp936", .gb18030), ("UTF-16", .utf16), ("auto", .auto), ("latin1", nil),
        ]
        for (label, expected) in cases {
            XCTAssertEqual(TextEncoding(label: label), expected, label)
        }
        XCTAssertEqual(TextEncoding.gb18030.fieldCharset, "GB18030")
        XCTAssertEqual(TextEncoding.utf16.fieldCharset, "UTF-8")
    }

    func testUTF16Transcoding() throws {
        let cases: [(name: String, bytes: [UInt8], expected: [UInt8])] = [
            ("LE", TextTestSupport.utf16("a,张\n", bigEndian: false), Array("a,张\n".utf8)),
            ("BE", TextTestSupport.utf16("a,张\n", bigEndian: true), Array("a,张\n".utf8)),
            ("surrogate pair", TextTestSupport.utf16("😀é", bigEndian: false), Array("😀é".utf8)),
            ("BOM only", [0xFF, 0xFE], []),
            ("empty", [], []),
            ("lone high surrogate", [0xFF, 0xFE, 0x3D, 0xD8, 0x61, 0x00], [0xFF, 0x61]),
            ("lone low surrogate", [0xFF, 0xFE, 0x00, 0xDE, 0x61, 0x00], [0xFF, 0x61]),
            ("high surrogate at EOF", [0xFE, 0xFF, 0xD8, 0x3D], [0xFF]),
            ("odd trailing byte", [0xFF, 0xFE, 0x61, 0x00, 0x62], [0x61, 0xFF]),
            ("second BOM is data", [0xFF, 0xFE, 0xFF, 0xFE], [0xEF, 0xBB, 0xBF]),
        ]
        for test in cases {
            for chunkSize in [1, 2, 3, 7, 65_536] {
                let source = UTF16TranscodingByteSource(
                    source: MemoryByteSource(test.bytes, maxReadSize: chunkSize), chunkSize: chunkSize)
                XCTAssertEqual(try TextTestSupport.drain(source, chunkSize: max(1, chunkSize - 1)), test.expected,
                               "\(test.name) [chunk \(chunkSize)]")
            }
        }
        for noBOM in [TextTestSupport.utf16("a", bigEndian: false, bom: false), [0x61]] {
            XCTAssertThrowsError(try TextTestSupport.drain(UTF16TranscodingByteSource(source: MemoryByteSource(noBOM)))) {
                XCTAssertEqual($0 as? ByteSourceError, .missingUTF16BOM)
            }
        }
    }

    func testUTF16DamageRejectsOnlyItsRecord() throws {
        let bytes = TextTestSupport.utf16("a,b\nx,", bigEndian: false) + [0x00, 0xDC] + TextTestSupport.utf16("\nc,d\n", bigEndian: false, bom: false)
        let reader = CSVReader(source: TextEncoding.utf16.readableSource(MemoryByteSource(bytes)))
        let decoder = try CharsetDecoder(charset: TextEncoding.utf16.fieldCharset)
        var decoded: [[String]] = []
        var failures: [CSVFieldDecodingError] = []
        while case let .row(row)? = try reader.next() {
            do { decoded.append(try row.decodedFields(using: decoder)) } catch let error as CSVFieldDecodingError {
                failures.append(error)
            }
        }
        XCTAssertEqual(decoded, [["a", "b"], ["c", "d"]])
        XCTAssertEqual(failures.map(\.line), [2])
        XCTAssertEqual(failures.first?.field, 2)
    }

    func testSkipResumesANonSeekableStream() throws {
        let text = "h\n张伟,1\n李四,2\n"
        let bytes = TextTestSupport.utf16(text, bigEndian: false)
        let all = try TextTestSupport.readAll(CSVReader(source: TextEncoding.utf16.readableSource(MemoryByteSource(bytes))))
        let source = TextEncoding.utf16.readableSource(MemoryByteSource(bytes), chunkSize: 5)
        XCTAssertEqual(try source.skip(all[1].endOffset, chunkSize: 4), all[1].endOffset)
        let resumed = CSVReader(source: source, startOffset: all[1].endOffset, startLine: all[1].nextLine)
        XCTAssertEqual(try TextTestSupport.readAll(resumed), [all[2]])
    }

    func testUTF8Validator() {
        let cases: [(name: String, bytes: [UInt8], errorOffset: Int?)] = [
            ("ASCII", Array("hello, world 1234567890".utf8), nil),
            ("Chinese", Array("张伟,上海".utf8), nil),
            ("four-byte", Array("a😀".utf8), nil),
            ("max scalar", [0xF4, 0x8F, 0xBF, 0xBF], nil),
            ("stray continuation", [0x61, 0x80], 1),
            ("overlong two-byte", [0xC0, 0x80], 0),
            ("overlong three-byte", [0xE0, 0x80, 0x80], 0),
            ("surrogate", [0x61, 0x62, 0xED, 0xA0, 0x80], 2),
            ("above U+10FFFF", [0xF4, 0x90, 0x80, 0x80], 0),
            ("invalid byte after ASCII run", Array("0123456789abcdef".utf8) + [0xFF], 16),
            ("truncated at end", Array("ab".utf8) + [0xE4, 0xB8], 2),
            ("GB18030", [0xD5, 0xC5, 0xCE, 0xB0], 0),
        ]
        for test in cases {
            let whole = test.bytes.withUnsafeBytes { UTF8Validator.firstInvalidOffset(in: $0) }
            XCTAssertEqual(whole, test.errorOffset, test.name)
            var byByte = UTF8Validator()
            for byte in test.bytes { withUnsafeBytes(of: byte) { _ = byByte.feed($0) } }
            byByte.finish()
            XCTAssertEqual(byByte.errorOffset.map { Int($0) }, test.errorOffset, "\(test.name) byte by byte")
        }
    }
}
