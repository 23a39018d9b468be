/// Streaming RFC 4180 reader working on bytes.
///
/// Why bytes: the charset is only known per file and decoding is strict, so splitting first and
/// decoding each field later lets one bad field reject one record, not the file. Splitting bytes
/// is safe for UTF-8 and GB18030/GBK (their multi-byte sequences never contain `"`, `,`, `;`,
/// TAB, CR or LF; for `|` see `CSVDialect.doubleByteEncoding`); UTF-16 must go through
/// `UTF16TranscodingByteSource` first.
///
/// Memory is flat: the source is read in `chunkSize` pieces and no record is held beyond
/// `dialect.maxRecordLength` bytes, so the reader never holds more than a few times that limit
/// (raw record, field copies, bytes re-read after a bad quote) whatever the file or line length.
///
/// Accepted: quoted fields, `""` inside them, CR/LF inside them (counted as physical lines),
/// CRLF, LF or lone CR terminators, a UTF-8 BOM at offset 0, a last record without terminator.
/// Empty lines are skipped (a line of spaces or of delimiters is a record).
///
/// Malformed records are returned, not thrown, and reading goes on. Resynchronisation rule:
/// - a quote inside an unquoted field, or a character after a closing quote (`"ab"c`): the record
///   is dropped up to the end of that physical line (quotes ignored);
/// - a record longer than `maxRecordLength`: dropped up to the end of the physical line where
///   the limit was crossed (quotes ignored), so a 1.5 MB line costs no more than the limit;
/// - an unterminated quoted field — one still open at end of stream or when the limit is reached
///   after it has spanned a line break: the malformed record ends with the line on which the
///   quote opened and parsing restarts on the next line (re-reading the bytes already buffered),
///   so a stray `"` cannot swallow the rest of the file. A quote still open on its own line at
///   end of stream makes the record run to the end.
/// Thrown errors are I/O errors of the source only.
///
/// Resuming: position the source at a result's `endOffset` and pass that offset and `nextLine`
/// as `startOffset`/`startLine`. Offsets count the bytes the source delivers (for UTF-16, the
/// transcoded UTF-8 stream).
public final class CSVReader {
    public static let defaultChunkSize = 65_536

    private var core: CSVReaderCore

    /// - Parameters:
    ///   - source: read from its current position, which must correspond to `startOffset`.
    ///   - startOffset: stream offset of that position (a previous `endOffset`); a UTF-8 BOM is
    ///     only skipped when it is 0.
    ///   - startLine: physical line number at `startOffset` (a previous `nextLine`).
    ///   - chunkSize: bytes per read; tiny values are for tests.
    public init(
        source: any ByteSource,
        dialect: CSVDialect = .comma,
        startOffset: Int64 = 0,
        startLine: Int = 1,
        chunkSize: Int = CSVReader.defaultChunkSize
    ) {
        core = CSVReaderCore(
            source: source, dialect: dialect, startOffset: startOffset, startLine: startLine, chunkSize: chunkSize)
    }

    deinit {
        core.buffer.deallocate()
    }

    public var dialect: CSVDialect { core.dialect }
    /// Stream offset of the next unread byte.
    public var offset: Int64 { core.offset }
    /// Physical line (1-based) of the next unread byte.
    public var line: Int { core.line }

    /// The next record or malformed record, or `nil` at end of stream.
    /// Throws only what the source throws (I/O errors).
    public func next() throws -> CSVReadResult? {
        try core.next()
    }

    /// Bytes currently held by the reader (input buffer and record under construction);
    /// lets tests check that memory stays bounded.
    var retainedByteCapacity: Int { core.retainedByteCapacity }
}
