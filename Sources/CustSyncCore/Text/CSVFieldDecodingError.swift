/// A field of an otherwise well-formed record that is not valid in the file's charset.
/// It carries the record position so the record can be quarantined like a malformed one.
public struct CSVFieldDecodingError: Error, Sendable, Equatable, CustomStringConvertible {
    public var line: Int
    /// Offset of the record (not the field) in the stream.
    public var byteOffset: Int64
    /// 1-based field number.
    public var field: Int
    public var underlying: CharsetDecodingError

    public init(line: Int, byteOffset: Int64, field: Int, underlying: CharsetDecodingError) {
        self.line = line
        self.byteOffset = byteOffset
        self.field = field
        self.underlying = underlying
    }

    public var description: String { "line \(line), field \(field): \(underlying)" }
}
