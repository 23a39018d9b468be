/// How badly a byte stream that is not valid UTF-8 fits UTF-8 and GB18030: the number of invalid
/// sequences under each, counted chunk by chunk with flat memory, starting over after each one.
///
/// This is what `Encoding=auto` decides by once a file has turned out not to be valid UTF-8. A
/// GB18030 export breaks UTF-8 at about every other character, while a UTF-8 export with a few
/// damaged bytes (a Latin-1 "é" pasted into one note) breaks GB18030 at about every other field:
/// whichever counts fewer invalid sequences is the file's encoding, and only the damaged rows
/// are then rejected instead of every name being stored as mojibake.
public struct CharsetFit: Sendable {
    public private(set) var invalidUTF8 = 0
    public private(set) var invalidGB18030 = 0

    /// Continuation bytes the current UTF-8 sequence still needs, and the range of the next one.
    private var utf8Needed = 0
    private var utf8Lower: UInt8 = 0x80
    private var utf8Upper: UInt8 = 0xBF
    /// Bytes of the current GB18030 sequence read so far (0 between sequences).
    private var gbRead = 0

    public init() {}

    public mutating func feed(_ chunk: UnsafeRawBufferPointer) {
        for byte in chunk {
            feedUTF8(byte)
            feedGB18030(byte)
        }
    }

    /// Declares the end of the stream: a sequence cut off by it counts as invalid.
    public mutating func finish() {
        if utf8Needed > 0 { invalidUTF8 += 1 }
        if gbRead > 0 { invalidGB18030 += 1 }
        utf8Needed = 0
        gbRead = 0
    }

    private mutating func feedUTF8(_ byte: UInt8) {
        if utf8Needed > 0 {
            if byte >= utf8Lower && byte <= utf8Upper {
                utf8Needed -= 1
                utf8Lower = 0x80
                utf8Upper = 0xBF
                return
            }
            invalidUTF8 += 1  // cut short: the byte starts over below
            utf8Needed = 0
        }
        guard byte >= 0x80 else { return }
        if let lead = UTF8LeadByte.expectation(byte) {
            (utf8Needed, utf8Lower, utf8Upper) = lead
        } else {
            invalidUTF8 += 1
        }
    }

    /// One byte (00–7F), two (81–FE, then 40–7E or 80–FE) or four (81–FE, 30–39, 81–FE, 30–39).
    private mutating func feedGB18030(_ byte: UInt8) {
        let lead = (0x81...0xFE).contains(byte)
        let digit = (0x30...0x39).contains(byte)
        switch gbRead {
        case 1:
            if (0x40...0x7E).contains(byte) || (0x80...0xFE).contains(byte) { gbRead = 0; return }
            if digit { gbRead = 2; return }
        case 2:
            if lead { gbRead = 3; return }
        case 3:
            if digit { gbRead = 0; return }
        default:
            break
        }
        if gbRead > 0 {
            invalidGB18030 += 1  // cut short: the byte starts over below
            gbRead = 0
        }
        if lead {
            gbRead = 1
        } else if byte >= 0x80 {
            invalidGB18030 += 1  // 80 or FF
        }
    }
}
