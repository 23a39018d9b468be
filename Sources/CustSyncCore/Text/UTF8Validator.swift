/// Incremental, strict UTF-8 validation (RFC 3629: no overlongs, no surrogates, nothing above
/// U+10FFFF) that can be fed chunk by chunk.
///
/// Incremental because encoding detection must look at the whole file with flat memory, and a
/// multi-byte character may straddle two chunks. Strict because "valid UTF-8" is what decides
/// between UTF-8 and GB18030, and a lenient check would let GB18030 files through as mojibake.
public struct UTF8Validator: Sendable {
    /// Bytes fed so far.
    public private(set) var offset: Int64 = 0
    /// Offset of the first byte of the first invalid (or truncated) sequence, if any.
    public private(set) var errorOffset: Int64?

    private var needed = 0
    private var lower: UInt8 = 0x80
    private var upper: UInt8 = 0xBF
    private var sequenceStart: Int64 = 0

    public init() {}

    public var isValid: Bool { errorOffset == nil }

    /// Feeds the next chunk; returns `false` once the stream is known to be invalid.
    @discardableResult
    public mutating func feed(_ chunk: UnsafeRawBufferPointer) -> Bool {
        guard errorOffset == nil else { return false }
        let count = chunk.count
        guard count > 0, let base = chunk.baseAddress else { return true }
        var i = 0
        while i < count {
            if needed == 0 {
                // ASCII dominates real exports: skip it eight bytes at a time.
                while i + 8 <= count,
                      base.loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
                    i += 8
                }
                guard i < count else { break }
                let b = base.load(fromByteOffset: i, as: UInt8.self)
                if b < 0x80 { i += 1; continue }
                sequenceStart = offset + Int64(i)
                guard let lead = UTF8LeadByte.expectation(b) else {
                    errorOffset = sequenceStart
                    offset += Int64(i + 1)
                    return false
                }
                (needed, lower, upper) = lead
            } else {
                let b = base.load(fromByteOffset: i, as: UInt8.self)
                guard b >= lower && b <= upper else {
                    errorOffset = sequenceStart
                    offset += Int64(i + 1)
                    return false
                }
                needed -= 1
                lower = 0x80
                upper = 0xBF
            }
            i += 1
        }
        offset += Int64(count)
        return true
    }

    /// Declares the end of the stream: a character cut off by EOF makes it invalid.
    @discardableResult
    public mutating func finish() -> Bool {
        if errorOffset == nil && needed > 0 {
            errorOffset = sequenceStart
        }
        return errorOffset == nil
    }

    /// Offset of the first invalid byte sequence in `bytes`, or `nil` if they are valid UTF-8.
    public static func firstInvalidOffset(in bytes: UnsafeRawBufferPointer) -> Int? {
        var validator = UTF8Validator()
        validator.feed(bytes)
        validator.finish()
        return validator.errorOffset.map { Int($0) }
    }
}
