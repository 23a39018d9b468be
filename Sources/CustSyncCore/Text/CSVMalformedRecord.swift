/// A record that could not be parsed. It is reported instead of thrown so that the reader
/// keeps going: one broken line must not block the thousands of good ones after it.
public struct CSVMalformedRecord: Sendable, Equatable {
    /// Physical line (1-based) on which the record starts.
    public var line: Int
    public var byteOffset: Int64
    /// Where parsing resumed after this record (see `CSVReader` for the resynchronisation rule).
    public var endOffset: Int64
    /// Physical line at `endOffset`.
    public var nextLine: Int
    /// Human-readable cause, e.g. `record longer than MaxLineLength=1048576 bytes`.
    public var reason: String
    /// The first `maxRawPrefixLength` bytes of the record, for quarantine.
    public var rawPrefix: [UInt8]

    public init(line: Int, byteOffset: Int64, endOffset: Int64, nextLine: Int, reason: String, rawPrefix: [UInt8]) {
        self.line = line
        self.byteOffset = byteOffset
        self.endOffset = endOffset
        self.nextLine = nextLine
        self.reason = reason
        self.rawPrefix = rawPrefix
    }
}
