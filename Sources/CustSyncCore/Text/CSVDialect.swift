/// How a CSV export is laid out. Parsing is byte-level, so the delimiter and quote are bytes.
public struct CSVDialect: Sendable, Equatable {
    /// Field separator: `,`, `;`, `\t` or `|` in practice. ASCII, never CR, LF or the quote.
    public var delimiter: UInt8
    /// Quote byte (`"`); a doubled quote inside a quoted field is a literal quote.
    public var quote: UInt8
    /// Longest accepted record in bytes, terminator excluded. Longer records are reported as
    /// malformed and skipped, which is also what bounds the reader's memory.
    public var maxRecordLength: Int
    /// How many bytes of a malformed record are kept in `CSVMalformedRecord.rawPrefix` for quarantine.
    public var maxRawPrefixLength: Int
    /// Set for GB18030/GBK/Big5 input: a byte 81–FE then takes the following byte with it.
    /// Their trail bytes never collide with `"`, `,`, `;`, TAB, CR or LF, but they do range over
    /// 40–7E, which contains `|` (GBK 81 7C is "亅"): without this, a pipe-delimited GBK file
    /// splits inside characters. Must stay `false` for UTF-8, whose continuation bytes would be
    /// mistaken for lead bytes.
    public var doubleByteEncoding: Bool

    public static let defaultMaxRecordLength = 1_048_576

    /// Traps on a delimiter that cannot work (non-ASCII, CR, LF, equal to the quote): that is a
    /// programming error. Use `init?(delimiterName:)` for values coming from configuration.
    public init(
        delimiter: UInt8 = UInt8(ascii: ","),
        quote: UInt8 = UInt8(ascii: "\""),
        maxRecordLength: Int = CSVDialect.defaultMaxRecordLength,
        maxRawPrefixLength: Int = 4096,
        doubleByteEncoding: Bool = false
    ) {
        precondition(Self.isUsable(delimiter: delimiter, quote: quote), "unusable CSV delimiter/quote")
        precondition(maxRecordLength > 0 && maxRawPrefixLength >= 0)
        self.delimiter = delimiter
        self.quote = quote
        self.maxRecordLength = maxRecordLength
        self.maxRawPrefixLength = maxRawPrefixLength
        self.doubleByteEncoding = doubleByteEncoding
    }

    /// Parses a configured delimiter: a single ASCII character, or `tab`, `\t`, `comma`,
    /// `semicolon`, `pipe`. Returns `nil` for anything the reader cannot use.
    public init?(delimiterName: String, maxRecordLength: Int = CSVDialect.defaultMaxRecordLength) {
        let byte: UInt8
        switch delimiterName.lowercased() {
        case "tab", "\\t", "\t": byte = 0x09
        case "comma": byte = UInt8(ascii: ",")
        case "semicolon": byte = UInt8(ascii: ";")
        case "pipe": byte = UInt8(ascii: "|")
        default:
            let utf8 = Array(delimiterName.utf8)
            guard utf8.count == 1 else { return nil }
            byte = utf8[0]
        }
        guard Self.isUsable(delimiter: byte, quote: UInt8(ascii: "\"")), maxRecordLength > 0 else { return nil }
        self.init(delimiter: byte, maxRecordLength: maxRecordLength)
    }

    public static let comma = CSVDialect(delimiter: UInt8(ascii: ","))
    public static let semicolon = CSVDialect(delimiter: UInt8(ascii: ";"))
    public static let tab = CSVDialect(delimiter: 0x09)
    public static let pipe = CSVDialect(delimiter: UInt8(ascii: "|"))

    private static func isUsable(delimiter: UInt8, quote: UInt8) -> Bool {
        delimiter < 0x80 && quote < 0x80 && delimiter != quote
            && delimiter != 0x0A && delimiter != 0x0D && quote != 0x0A && quote != 0x0D
    }
}
