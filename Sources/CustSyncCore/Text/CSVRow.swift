/// One well-formed CSV record, fields still as bytes.
///
/// Fields stay bytes because the charset is only known per file (GB18030 or UTF-8) and decoding
/// errors must be reported per field; `decodedFields(using:)` does that step.
public struct CSVRow: Sendable, Equatable {
    /// Field contents with quoting removed (`""` unescaped), in the file's charset.
    public var fields: [[UInt8]]
    /// Physical line (1-based) on which the record starts.
    public var line: Int
    /// Offset of the record's first byte in the stream.
    public var byteOffset: Int64
    /// Offset just after the record's line terminator: resume a reader here.
    public var endOffset: Int64
    /// Physical line at `endOffset`: pass it as `startLine` when resuming at `endOffset`.
    public var nextLine: Int
    /// The record as it appears in the stream, line terminator excluded (at most
    /// `maxRecordLength` bytes).
    public var rawBytes: [UInt8]

    public init(fields: [[UInt8]], line: Int, byteOffset: Int64, endOffset: Int64, nextLine: Int, rawBytes: [UInt8]) {
        self.fields = fields
        self.line = line
        self.byteOffset = byteOffset
        self.endOffset = endOffset
        self.nextLine = nextLine
        self.rawBytes = rawBytes
    }

    /// Decodes every field; the first field that fails throws `CSVFieldDecodingError`.
    public func decodedFields(using decoder: CharsetDecoder) throws -> [String] {
        var result: [String] = []
        result.reserveCapacity(fields.count)
        for (index, field) in fields.enumerated() {
            do {
                result.append(try decoder.decode(field))
            } catch let error as CharsetDecodingError {
                throw CSVFieldDecodingError(line: line, byteOffset: byteOffset, field: index + 1, underlying: error)
            }
        }
        return result
    }
}
