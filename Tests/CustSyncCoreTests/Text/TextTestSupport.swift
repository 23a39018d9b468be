import Glibc
import XCTest
@testable import CustSyncCore

/// Shared helpers of the Text tests.
enum TextTestSupport {
    /// Reader chunk sizes every table runs with: tiny ones put chunk boundaries everywhere.
    static let chunkSizes = [1, 2, 3, 5, 7, 65_536]

    /// A result reduced to what the tables specify.
    enum Expect: Equatable, CustomStringConvertible {
        case row([String], line: Int)
        case bad(String, line: Int)

        var description: String {
            switch self {
            case let .row(fields, line): return "row@\(line)\(fields.debugDescription)"
            case let .bad(reason, line): return "bad@\(line)(\(reason))"
            }
        }
    }

    static func expect(_ result: CSVReadResult) -> Expect {
        switch result {
        case let .row(row): return .row(row.fields.map { String(decoding: $0, as: UTF8.self) }, line: row.line)
        case let .malformed(record): return .bad(record.reason, line: record.line)
        }
    }

    static func readAll(_ reader: CSVReader) throws -> [CSVReadResult] {
        var results: [CSVReadResult] = []
        while let result = try reader.next() { results.append(result) }
        return results
    }

    static func readAll(
        _ bytes: [UInt8], dialect: CSVDialect = .comma, chunkSize: Int = 65_536, maxReadSize: Int = .max,
        startOffset: Int64 = 0, startLine: Int = 1
    ) throws -> [CSVReadResult] {
        let source = MemoryByteSource(Array(bytes[Int(startOffset)...]), maxReadSize: maxReadSize)
        return try readAll(CSVReader(
            source: source, dialect: dialect, startOffset: startOffset, startLine: startLine, chunkSize: chunkSize))
    }

    /// Checks what must hold for any input: offsets point at the reported bytes, results follow
    /// each other, and resuming at any `endOffset`/`nextLine` yields exactly the remaining results.
    static func checkInvariants(
        _ results: [CSVReadResult], input: [UInt8], dialect: CSVDialect, context: String,
        file: StaticString = #filePath, line: UInt = #line
    ) throws {
        var previousEnd: Int64 = 0
        for result in results {
            let start = Int(result.byteOffset)
            let shown: [UInt8]
            switch result {
            case let .row(row): shown = row.rawBytes
            case let .malformed(record): shown = record.rawPrefix
            }
            XCTAssertGreaterThanOrEqual(result.byteOffset, previousEnd, context, file: file, line: line)
            XCTAssertGreaterThan(result.endOffset, result.byteOffset, context, file: file, line: line)
            XCTAssertLessThanOrEqual(Int(result.endOffset), input.count, context, file: file, line: line)
            XCTAssertEqual(Array(input[start..<min(input.count, start + shown.count)]), shown, context, file: file, line: line)
            previousEnd = result.endOffset
        }
        for (index, result) in results.enumerated() {
            let resumed = try readAll(
                input, dialect: dialect, chunkSize: 3, startOffset: result.endOffset, startLine: result.nextLine)
            XCTAssertEqual(resumed, Array(results[(index + 1)...]), "\(context): resume after result \(index)",
                           file: file, line: line)
        }
    }

    /// Encodes with iconv, the way a Windows export tool would have written the file.
    static func encode(_ text: String, to charset: String) -> [UInt8] {
        let cd = iconv_open(charset, "UTF-8")!
        defer { iconv_close(cd) }
        var input = Array(text.utf8)
        var output = [UInt8](repeating: 0, count: input.count * 4 + 16)
        var inLeft = input.count
        var outLeft = output.count
        input.withUnsafeMutableBytes { inRaw in
            output.withUnsafeMutableBytes { outRaw in
                var inPointer: UnsafeMutablePointer<CChar>? = inRaw.baseAddress?.assumingMemoryBound(to: CChar.self)
                var outPointer: UnsafeMutablePointer<CChar>? = outRaw.baseAddress?.assumingMemoryBound(to: CChar.self)
                precondition(iconv(cd, &inPointer, &inLeft, &outPointer, &outLeft) != -1)
            }
        }
        return Array(output[0..<(output.count - outLeft)])
    }

    static func utf16(_ text: String, bigEndian: Bool, bom: Bool = true) -> [UInt8] {
        var bytes: [UInt8] = bom ? (bigEndian ? [0xFE, 0xFF] : [0xFF, 0xFE]) : []
        for unit in text.utf16 {
            let (high, low) = (UInt8(unit >> 8), UInt8(unit & 0xFF))
            bytes += bigEndian ? [high, low] : [low, high]
        }
        return bytes
    }

    static func hex(_ string: String) -> [UInt8] {
        let digits = Array(string.filter { $0.isHexDigit })
        return stride(from: 0, to: digits.count, by: 2).map { UInt8(String(digits[$0...$0 + 1]), radix: 16)! }
    }

    static func drain(_ source: any ByteSource, chunkSize: Int = 4096) throws -> [UInt8] {
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: chunkSize)
        while true {
            let n = try chunk.withUnsafeMutableBytes { try source.read(into: $0) }
            if n == 0 { return out }
            out += chunk[0..<n]
        }
    }
}
