/// The encodings a call-center CSV export is found in, and how to tell them apart.
///
/// Only these three occur in practice: UTF-8 (with or without BOM), GB18030 and its subsets
/// GBK/GB2312 (Windows "ANSI" on a Chinese desktop), and UTF-16 from Excel's "Unicode text".
/// A GB18030 file is almost never valid UTF-8, which is what makes `auto` reliable.
public enum TextEncoding: String, Sendable, CaseIterable, CustomStringConvertible {
    case utf8
    case gb18030
    /// UTF-16 with a BOM (either byte order); read through `UTF16TranscodingByteSource`.
    case utf16
    /// Resolve with `detect(_:)` before reading.
    case auto

    /// How much of the start of a file the binary check looks at.
    public static let sniffLength = 65_536

    /// Parses a configuration value (`utf-8`, `gbk`, `gb2312`, `cp936`, `utf-16`, `auto`, …).
    public init?(label: String) {
        let key = String(label.lowercased().filter { $0.isLetter || $0.isNumber })
        switch key {
        case "utf8": self = .utf8
        case "gb18030", "gbk", "gb2312", "cp936", "xgbk", "euccn": self = .gb18030
        case "utf16", "utf16le", "utf16be", "unicode": self = .utf16
        case "auto", "": self = .auto
        default: return nil
        }
    }

    public var description: String { rawValue }

    /// Charset of the bytes the CSV reader hands out for this encoding, for `CharsetDecoder`.
    /// UTF-16 is transcoded to UTF-8 before parsing; `auto` must be resolved first and is
    /// treated as UTF-8 here.
    public var fieldCharset: String {
        self == .gb18030 ? "GB18030" : "UTF-8"
    }

    /// Wraps `source` so that it can be parsed at the byte level: UTF-16 becomes UTF-8.
    public func readableSource(_ source: any ByteSource, chunkSize: Int = 65_536) -> any ByteSource {
        self == .utf16 ? UTF16TranscodingByteSource(source: source, chunkSize: chunkSize) : source
    }

    /// The encoding announced by a byte order mark at the start of `prefix`, if any.
    public static func fromBOM(_ prefix: some Collection<UInt8>) -> TextEncoding? {
        let head = Array(prefix.prefix(3))
        if head.count >= 3 && head[0] == 0xEF && head[1] == 0xBB && head[2] == 0xBF { return .utf8 }
        if head.count >= 2 && ((head[0] == 0xFF && head[1] == 0xFE) || (head[0] == 0xFE && head[1] == 0xFF)) {
            return .utf16
        }
        return nil
    }

    /// Resolves `auto`: a BOM wins; otherwise the whole stream is checked as strict UTF-8
    /// (streaming, flat memory, stopping at the first invalid byte); otherwise GB18030.
    ///
    /// The source is consumed: seek back (or reopen) before reading records.
    public static func detect(_ source: any ByteSource, chunkSize: Int = 65_536) throws -> TextEncoding {
        precondition(chunkSize > 0)
        var chunk = [UInt8](repeating: 0, count: chunkSize)
        var head: [UInt8] = []
        var validator = UTF8Validator()
        while true {
            let n = try chunk.withUnsafeMutableBytes { try source.read(into: $0) }
            if n == 0 { break }
            if head.count < 3 {
                head.append(contentsOf: chunk[0..<min(n, 3 - head.count)])
                if head.count == 3, let encoding = fromBOM(head) { return encoding }
            }
            let stillValid = chunk.withUnsafeBytes { validator.feed(UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
            if !stillValid && head.count == 3 { return .gb18030 }
        }
        if let encoding = fromBOM(head) { return encoding }
        return validator.finish() ? .utf8 : .gb18030
    }

    /// `true` if a NUL byte occurs in `prefix` (the first `sniffLength` bytes of a file): text
    /// exports never contain one, spreadsheets, archives and images almost always do.
    /// UTF-16 with a BOM is text even though its ASCII characters carry NUL bytes.
    public static func isBinary(prefix: some Collection<UInt8>) -> Bool {
        if fromBOM(prefix) == .utf16 { return false }
        return prefix.prefix(sniffLength).contains(0)
    }

    /// Reads up to `sniffLength` bytes from `source` and applies `isBinary(prefix:)`.
    /// The source is consumed.
    public static func isBinary(_ source: any ByteSource) throws -> Bool {
        var prefix = [UInt8](repeating: 0, count: sniffLength)
        var filled = 0
        while filled < sniffLength {
            let n = try prefix.withUnsafeMutableBytes {
                try source.read(into: UnsafeMutableRawBufferPointer(rebasing: $0[filled...]))
            }
            if n == 0 { break }
            filled += n
        }
        return isBinary(prefix: prefix[0..<filled])
    }
}
