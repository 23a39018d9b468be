import CustSyncCore

/// One streaming pass over a claimed file before any row is read: its SHA-256 (the file's
/// identity), whether it looks binary, its byte order mark and whether it is valid UTF-8 (what
/// `Encoding=auto` needs). Flat memory: one 256 KiB chunk at a time.
struct FileSurvey {
    var sha256: String
    var size: Int64
    /// Offset of the first NUL byte within the first 64 KiB, when the file is not UTF-16.
    var binaryAt: Int?
    var bom: TextEncoding?
    var validUTF8: Bool

    static let chunkSize = 256 * 1024

    init(reading source: any ByteSource) throws {
        var hasher = SHA256()
        var validator = UTF8Validator()
        var prefix: [UInt8] = []
        var size: Int64 = 0
        let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: Self.chunkSize, alignment: 16)
        defer { chunk.deallocate() }
        while true {
            let n = try source.read(into: chunk)
            if n == 0 { break }
            let bytes = UnsafeRawBufferPointer(rebasing: chunk[0..<n])
            hasher.update(bytes)
            if validator.isValid { validator.feed(bytes) }
            if prefix.count < TextEncoding.sniffLength {
                prefix.append(contentsOf: bytes.prefix(TextEncoding.sniffLength - prefix.count))
            }
            size += Int64(n)
        }
        validator.finish()
        sha256 = hasher.hexDigest()
        self.size = size
        bom = TextEncoding.fromBOM(prefix)
        validUTF8 = validator.isValid
        binaryAt = TextEncoding.isBinary(prefix: prefix) ? prefix.firstIndex(of: 0) : nil
    }

    /// Whether resolving `configured` needs a `CharsetFit` of the file: `auto`, no BOM, and not
    /// valid UTF-8.
    func needsFit(_ configured: TextEncoding) -> Bool {
        configured == .auto && bom == nil && !validUTF8
    }

    /// A second streaming pass over the file (`source` positioned at its start) for `resolve`.
    static func fit(reading source: any ByteSource) throws -> CharsetFit {
        var fit = CharsetFit()
        let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 16)
        defer { chunk.deallocate() }
        while true {
            let n = try source.read(into: chunk)
            if n == 0 { break }
            fit.feed(UnsafeRawBufferPointer(rebasing: chunk[0..<n]))
        }
        fit.finish()
        return fit
    }

    /// The encoding to read with: the configured one, or for `auto` the BOM's, else UTF-8 when
    /// the whole file is valid UTF-8, else whichever of UTF-8 and GB18030 it fits better (`fit`,
    /// when `needsFit`; GB18030 on a tie).
    func resolve(_ configured: TextEncoding, fit: CharsetFit?) -> TextEncoding {
        // A byte order mark says what the file is, whatever was configured: an export switched
        // to UTF-8 with a BOM would otherwise be read as GB18030 mojibake (锘?...).
        if let bom { return bom }
        guard configured == .auto else { return configured }
        if validUTF8 { return .utf8 }
        guard let fit else { return .gb18030 }
        return fit.invalidUTF8 < fit.invalidGB18030 ? .utf8 : .gb18030
    }
}
