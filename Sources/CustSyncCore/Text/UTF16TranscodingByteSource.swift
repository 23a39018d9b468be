/// Wraps a UTF-16 stream (BOM required) and serves it as UTF-8, chunk by chunk.
///
/// UTF-16 cannot be split at the byte level (every ASCII `,` or LF comes with a 00 byte), so the
/// CSV reader sees the transcoded UTF-8 stream instead. Consequences worth knowing:
/// - byte offsets reported by the reader (`byteOffset`, `endOffset`) refer to the *UTF-8 output*,
///   not to the file; to resume, transcode again from the start of the file and `skip(_:)` to the
///   offset (the BOM is consumed here and not emitted, so offset 0 is the first character);
/// - lone surrogates and an odd trailing byte are emitted as the byte 0xFF, which is never valid
///   UTF-8: the damaged record is then rejected when its fields are decoded, with an offset,
///   instead of being silently "repaired" with U+FFFD or failing the whole file.
public final class UTF16TranscodingByteSource: ByteSource {
    private let source: any ByteSource
    private var input: [UInt8]
    private var output: [UInt8] = []
    private var outputPosition = 0
    private var bigEndian: Bool?
    private var carry: UInt8?
    private var highSurrogate: UInt16?
    private var endOfInput = false

    public init(source: any ByteSource, chunkSize: Int = 65_536) {
        precondition(chunkSize > 0)
        self.source = source
        self.input = [UInt8](repeating: 0, count: chunkSize)
        output.reserveCapacity(chunkSize + chunkSize / 2 + 8)
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        while outputPosition == output.count {
            if endOfInput { return 0 }
            try fill()
        }
        let n = min(buffer.count, output.count - outputPosition)
        output.withUnsafeBytes { src in
            buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: src[outputPosition..<(outputPosition + n)]))
        }
        outputPosition += n
        return n
    }

    private func fill() throws {
        output.removeAll(keepingCapacity: true)
        outputPosition = 0
        let n = try input.withUnsafeMutableBytes { try source.read(into: $0) }
        if n == 0 {
            endOfInput = true
            if carry != nil {
                if bigEndian == nil { throw ByteSourceError.missingUTF16BOM }
                output.append(0xFF)
                carry = nil
            }
            if highSurrogate != nil {
                output.append(0xFF)
                highSurrogate = nil
            }
            return
        }
        for i in 0..<n {
            let byte = input[i]
            guard let first = carry else {
                carry = byte
                continue
            }
            carry = nil
            guard let isBigEndian = bigEndian else {
                switch (first, byte) {
                case (0xFF, 0xFE): bigEndian = false
                case (0xFE, 0xFF): bigEndian = true
                default: throw ByteSourceError.missingUTF16BOM
                }
                continue
            }
            let unit = isBigEndian
                ? UInt16(first) << 8 | UInt16(byte)
                : UInt16(byte) << 8 | UInt16(first)
            append(unit)
        }
    }

    private func append(_ unit: UInt16) {
        if let high = highSurrogate {
            highSurrogate = nil
            if (0xDC00...0xDFFF).contains(unit) {
                let scalar = 0x10000 + (UInt32(high - 0xD800) << 10) + UInt32(unit - 0xDC00)
                output.append(0xF0 | UInt8(scalar >> 18))
                output.append(0x80 | UInt8((scalar >> 12) & 0x3F))
                output.append(0x80 | UInt8((scalar >> 6) & 0x3F))
                output.append(0x80 | UInt8(scalar & 0x3F))
                return
            }
            output.append(0xFF)  // lone high surrogate; `unit` is processed on its own below
        }
        switch unit {
        case 0..<0x80:
            output.append(UInt8(unit))
        case 0x80..<0x800:
            output.append(0xC0 | UInt8(unit >> 6))
            output.append(0x80 | UInt8(unit & 0x3F))
        case 0xD800...0xDBFF:
            highSurrogate = unit
        case 0xDC00...0xDFFF:
            output.append(0xFF)  // lone low surrogate
        default:
            output.append(0xE0 | UInt8(unit >> 12))
            output.append(0x80 | UInt8((unit >> 6) & 0x3F))
            output.append(0x80 | UInt8(unit & 0x3F))
        }
    }
}
