import XCTest
@testable import CustSyncCore

final class CSVReaderMalformedTests: XCTestCase {
    typealias Expect = TextTestSupport.Expect

    private struct Case {
        var name: String
        var input: String
        var maxRecordLength = CSVDialect.defaultMaxRecordLength
        var expected: [Expect]
    }

    private let cases: [Case] = [
        Case(name: "quote inside unquoted field", input: "a,b\"c,d\nok,1\n",
             expected: [.bad("unexpected quote in unquoted field 2", line: 1), .row(["ok", "1"], line: 2)]),
        Case(name: "space before opening quote", input: "a, \"b\"\nok\n",
             expected: [.bad("unexpected quote in unquoted field 2", line: 1), .row(["ok"], line: 2)]),
        Case(name: "character after closing quote", input: "\"ab\"c,d\nok\n",
             expected: [.bad("unexpected character after closing quote in field 1", line: 1), .row(["ok"], line: 2)]),
        Case(name: "space after closing quote, CRLF", input: "x,\"ab\" \r\nok\r\n",
             expected: [.bad("unexpected character after closing quote in field 2", line: 1), .row(["ok"], line: 2)]),
        Case(name: "unterminated quote reaching EOF restarts after its line", input: "h\n\"abc,def\nx,y\nz\n",
             expected: [
                .row(["h"], line: 1),
                .bad("unterminated quoted field 1 opened at line 2: reached end of file", line: 2),
                .row(["x", "y"], line: 3), .row(["z"], line: 4),
             ]),
        Case(name: "unterminated quote on the last line", input: "a\nb,\"cd",
             expected: [.row(["a"], line: 1), .bad("unterminated quoted field 2 opened at line 2: reached end of file", line: 2)]),
        Case(name: "unterminated quote with CRLF", input: "a,\"b\r\nc\r\nd\r\n",
             expected: [
                .bad("unterminated quoted field 2 opened at line 1: reached end of file", line: 1),
                .row(["c"], line: 2), .row(["d"], line: 3),
             ]),
        Case(name: "stray quote closed by the next line's quote", input: "1,\"x\n2,\"y\n3\n",
             expected: [.bad("unexpected character after closing quote in field 2", line: 1), .row(["3"], line: 3)]),
        Case(name: "over-long unquoted record", input: "short\n0123456789AB,x\nok\n", maxRecordLength: 10,
             expected: [.row(["short"], line: 1), .bad("record longer than MaxLineLength=10 bytes", line: 2), .row(["ok"], line: 3)]),
        Case(name: "record of exactly the limit", input: "0123456789\n0123456,\"\"\n", maxRecordLength: 10,
             expected: [.row(["0123456789"], line: 1), .row(["0123456", ""], line: 2)]),
        Case(name: "over-long record, CRLF", input: "0123456789AB\r\nok\r\n", maxRecordLength: 10,
             expected: [.bad("record longer than MaxLineLength=10 bytes", line: 1), .row(["ok"], line: 2)]),
        Case(name: "over-long record at EOF", input: "ok\n0123456789AB", maxRecordLength: 10,
             expected: [.row(["ok"], line: 1), .bad("record longer than MaxLineLength=10 bytes", line: 2)]),
        Case(name: "over-long quoted field on one line", input: "\"0123456789AB\",x\nok\n", maxRecordLength: 10,
             expected: [.bad("record longer than MaxLineLength=10 bytes", line: 1), .row(["ok"], line: 2)]),
        Case(name: "unterminated quote reaching the limit", input: "\"open\nl2\nl3\nl4 more text here\nl5\n",
             maxRecordLength: 20,
             expected: [
                .bad("unterminated quoted field 1 opened at line 1: record longer than MaxLineLength=20 bytes", line: 1),
                .row(["l2"], line: 2), .row(["l3"], line: 3), .row(["l4 more text here"], line: 4), .row(["l5"], line: 5),
             ]),
        Case(name: "limit reached on the LF of a CRLF in a quote", input: "\"abcdefgh\r\nz\r\n", maxRecordLength: 10,
             expected: [
                .bad("unterminated quoted field 1 opened at line 1: record longer than MaxLineLength=10 bytes", line: 1),
                .row(["z"], line: 2),
             ]),
        Case(name: "malformed last line without newline", input: "ok\na\"b",
             expected: [.row(["ok"], line: 1), .bad("unexpected quote in unquoted field 1", line: 2)]),
        Case(name: "consecutive malformed lines", input: "a\"\nb\"\nc\n",
             expected: [
                .bad("unexpected quote in unquoted field 1", line: 1), .bad("unexpected quote in unquoted field 1", line: 2),
                .row(["c"], line: 3),
             ]),
    ]

    func testMalformedRecordsAreReportedAndReadingGoesOn() throws {
        for test in cases {
            let input = Array(test.input.utf8)
            let dialect = CSVDialect(maxRecordLength: test.maxRecordLength)
            for chunkSize in TextTestSupport.chunkSizes {
                let context = "\(test.name) [chunk \(chunkSize)]"
                let results = try TextTestSupport.readAll(input, dialect: dialect, chunkSize: chunkSize)
                XCTAssertEqual(results.map(TextTestSupport.expect), test.expected, context)
                if chunkSize == 2 || chunkSize == 65_536 {
                    try TextTestSupport.checkInvariants(results, input: input, dialect: dialect, context: context)
                }
            }
        }
    }

    func testMalformedRecordPositionsAndPrefix() throws {
        let input = Array("ok\r\n\"ab\"c,d\r\nnext\r\n".utf8)
        let results = try TextTestSupport.readAll(input, chunkSize: 2)
        guard results.count == 3, case let .malformed(bad) = results[1] else { return XCTFail("\(results)") }
        XCTAssertEqual(bad.byteOffset, 4)
        XCTAssertEqual(bad.endOffset, 13)
        XCTAssertEqual(bad.nextLine, 3)
        XCTAssertEqual(bad.rawPrefix, Array("\"ab\"c,d".utf8))
    }

    /// A 1.5 MB line with the default 1 MiB limit: rejected, the rows after it are fine, and the
    /// reader never holds much more than the limit.
    func testOverlongLineIsRejectedWithBoundedMemory() throws {
        let lineLength = 1_500_000
        let source = GeneratedByteSource([
            (Array("id,name\n".utf8), 8),
            (Array("x,".utf8), lineLength),
            (Array("\n1,张伟\n2,李四".utf8), Array("\n1,张伟\n2,李四".utf8).count),
        ])
        let reader = CSVReader(source: source, dialect: .comma)
        var results: [CSVReadResult] = []
        var peak = 0
        while let result = try reader.next() {
            results.append(result)
            peak = max(peak, reader.retainedByteCapacity)
        }
        XCTAssertEqual(results.map(TextTestSupport.expect), [
            .row(["id", "name"], line: 1),
            .bad("record longer than MaxLineLength=1048576 bytes", line: 2),
            .row(["1", "张伟"], line: 3), .row(["2", "李四"], line: 4),
        ])
        guard case let .malformed(bad) = results[1] else { return XCTFail() }
        XCTAssertEqual(bad.byteOffset, 8)
        XCTAssertEqual(bad.endOffset, 8 + Int64(lineLength) + 1)
        XCTAssertEqual(bad.rawPrefix.count, 4096)
        XCTAssertLessThanOrEqual(peak, 2 * CSVDialect.defaultMaxRecordLength + CSVReader.defaultChunkSize + 65_536)
    }

    /// Memory does not grow with the length of the line: 10 MB costs what 1.5 MB costs.
    func testMemoryIsFlatForAMuchLongerLine() throws {
        let reader = CSVReader(source: GeneratedByteSource([
            (Array("ab".utf8), 10_000_000), (Array("\nok\n".utf8), 4),
        ]))
        var peak = 0
        var results: [CSVReadResult] = []
        while let result = try reader.next() {
            results.append(result)
            peak = max(peak, reader.retainedByteCapacity)
        }
        XCTAssertEqual(results.map(TextTestSupport.expect), [
            .bad("record longer than MaxLineLength=1048576 bytes", line: 1), .row(["ok"], line: 2),
        ])
        XCTAssertLessThanOrEqual(peak, 2 * CSVDialect.defaultMaxRecordLength + CSVReader.defaultChunkSize + 65_536)
    }

    /// A quote opened and never closed in a 1.5 MB multi-line region: only the quote's line is
    /// lost, every line after it is read again as records.
    func testUnterminatedQuoteOverManyLinesOnlyCostsItsLine() throws {
        let lines = 150_000
        let source = GeneratedByteSource([
            (Array("h\n\"".utf8), 3),
            (Array("abcdefghi\n".utf8), lines * 10),
            (Array("end\n".utf8), 4),
        ])
        let reader = CSVReader(source: source)
        var rows = 0
        var lastLine = 0
        var malformed: [CSVMalformedRecord] = []
        var peak = 0
        while let result = try reader.next() {
            peak = max(peak, reader.retainedByteCapacity)
            switch result {
            case let .row(row):
                rows += 1
                lastLine = row.line
            case let .malformed(record):
                malformed.append(record)
            }
        }
        XCTAssertEqual(malformed.map(\.reason), [
            "unterminated quoted field 1 opened at line 2: record longer than MaxLineLength=1048576 bytes",
        ])
        XCTAssertEqual(malformed.first?.line, 2)
        XCTAssertEqual(malformed.first?.endOffset, 2 + 11)
        XCTAssertEqual(rows, 1 + (lines - 1) + 1)  // header, every line after the quote's, "end"
        XCTAssertEqual(lastLine, 2 + lines)
        XCTAssertLessThanOrEqual(peak, 3 * CSVDialect.defaultMaxRecordLength + CSVReader.defaultChunkSize + 65_536)
    }
}
