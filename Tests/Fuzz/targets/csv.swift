@testable import CustSyncConnectors
@testable import CustSyncCore
import Foundation

// Fuzz target `csv`: the input is a file dropped into a csv-drop connector's folder. It goes the
// way CallFileImport takes it: the survey (binary check, BOM, UTF-8 validity), the encoding
// (`auto`: UTF-8, GB18030 or UTF-16 through the transcoder), the streaming RFC 4180 reader, the
// header, strict charset decoding of every field and the row mapper, then Downstream.
// Two connectors read each input: the sample call-center one (header, comma) and one with
// Header=no, `|` (GB18030 double-byte scanning) and a 64-byte MaxLineLength (overflow paths).
//
// Besides crashes it checks what resuming after a crash relies on: results do not depend on
// where reads end (chunk and read sizes), a reader started at a result's endOffset/nextLine
// yields exactly the results that followed it, and offsets only move forward.

private func connector(_ text: String) -> CSVDropSettings {
    let document = try! IniDocument(parsing: text, file: "fuzz.conf")
    let read = ConnectorConfiguration.read(document, directory: "/nonexistent", defaultBatchSize: 1000)
    guard let settings = read.configuration?.csv else { fatalError("fuzz connector: \(read.errors)") }
    return settings
}

private let connectors = [
    connector("""
        [Connector]
        Name=callcenter
        Kind=csv-drop
        [CSV]
        Encoding=auto
        Delimiter=,
        Header=yes
        TimeFormat=auto
        TimeZone=Asia/Shanghai
        [Mapping]
        通话时间=call.time
        主叫号码=phone
        客户姓名=name
        电子邮箱=email
        坐席工号=call.agent
        通话结果=call.disposition
        通话时长=call.duration
        备注=call.notes
        """),
    connector("""
        [Connector]
        Name=numbered
        Kind=csv-drop
        [CSV]
        Encoding=auto
        Delimiter=pipe
        Header=no
        MaxLineLength=64
        TimeZone=UTC
        [Mapping]
        1=key
        2=name
        3=phone
        4=call.time
        5=email
        6=call.id
        """),
]

/// Every result of a reader over the input from `offset`, or `nil` when the source refuses the
/// input as a whole (UTF-16 without a byte order mark).
private func results(_ bytes: [UInt8], encoding: TextEncoding, dialect: CSVDialect, from offset: Int64 = 0,
                     line: Int = 1, chunkSize: Int = CSVReader.defaultChunkSize, maxReadSize: Int = .max) -> [CSVReadResult]? {
    do {
        var source: any ByteSource = MemoryByteSource(bytes, maxReadSize: maxReadSize)
        if encoding == .utf16 {
            source = UTF16TranscodingByteSource(source: source, chunkSize: chunkSize)
            let skipped = try source.skip(offset)
            precondition(skipped == offset, "resume offset \(offset) beyond the transcoded stream")
        } else {
            source = MemoryByteSource(Array(bytes[Int(offset)...]), maxReadSize: maxReadSize)
        }
        let reader = CSVReader(source: source, dialect: dialect, startOffset: offset, startLine: line, chunkSize: chunkSize)
        var all: [CSVReadResult] = []
        var end = offset
        while let result = try reader.next() {
            precondition(result.byteOffset >= end && result.endOffset > result.byteOffset, "offsets went backwards: \(result)")
            precondition(result.nextLine >= result.line, "line numbers went backwards: \(result)")
            end = result.endOffset
            all.append(result)
        }
        return all
    } catch ByteSourceError.missingUTF16BOM {
        return nil
    } catch {
        fatalError("a memory source cannot fail: \(error)")
    }
}

private func read(_ bytes: [UInt8], with settings: CSVDropSettings) {
    guard let survey = try? FileSurvey(reading: MemoryByteSource(bytes)), survey.size > 0, survey.binaryAt == nil else { return }
    let fit = survey.needsFit(settings.encoding) ? try? FileSurvey.fit(reading: MemoryByteSource(bytes)) : nil
    let encoding = survey.resolve(settings.encoding, fit: fit)
    let dialect = settings.dialect(for: encoding)
    guard let all = results(bytes, encoding: encoding, dialect: dialect) else { return }

    let small = 1 + bytes.count % 7
    let chunked = results(bytes, encoding: encoding, dialect: dialect, chunkSize: small, maxReadSize: 1 + bytes.count % 5)
    precondition(chunked == all, "results depend on chunk boundaries (chunkSize \(small))")
    if !all.isEmpty {
        let resumeAfter = all.count / 2
        let resumed = results(bytes, encoding: encoding, dialect: dialect, from: all[resumeAfter].endOffset,
                              line: all[resumeAfter].nextLine)
        precondition(resumed.map { Array(all[(resumeAfter + 1)...]) == $0 } ?? false,
                     "resuming after result \(resumeAfter) does not give the results that followed it")
    }

    let decoder = try! CharsetDecoder(charset: encoding.fieldCharset)
    var rows = all[...]
    var header: CSVHeader?
    if settings.header {
        guard case .row(let first)? = rows.popFirst(), let names = try? CSVHeader(row: first, decoder: decoder) else { return }
        header = names
    }
    guard let mapper = try? CallRowMapper(settings: settings, header: header, fileName: "calls.csv", contentKey: "0123456789abcdef",
                                          fileModified: Date(timeIntervalSince1970: 1_700_000_000), decoder: decoder,
                                          times: CallTimeParser(format: settings.timeFormat, timeZone: settings.timeZone))
    else { return }
    for result in rows {
        switch result {
        case .row(let row):
            let raw = (try? decoder.decode(row.rawBytes)) ?? String(decoding: row.rawBytes, as: UTF8.self)
            if case .success(let record) = mapper.record(from: row, raw: raw) { Downstream.apply(record) }
        case .malformed(let record):
            _ = (try? decoder.decode(record.rawPrefix)) ?? String(decoding: record.rawPrefix, as: UTF8.self)
        }
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCSV(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = fuzzInput(data, size)
    for settings in connectors { read(bytes, with: settings) }
    return 0
}
