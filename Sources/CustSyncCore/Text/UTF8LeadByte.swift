/// What a UTF-8 lead byte (0x80 and up) promises, by RFC 3629's table: how many continuation
/// bytes follow, and the range the first of them must lie in, which rules out overlongs,
/// surrogates and code points above U+10FFFF. nil for a byte that cannot start a sequence.
enum UTF8LeadByte {
    @inline(__always)
    static func expectation(_ byte: UInt8) -> (needed: Int, lower: UInt8, upper: UInt8)? {
        switch byte {
        case 0xC2...0xDF: return (1, 0x80, 0xBF)
        case 0xE0: return (2, 0xA0, 0xBF)
        case 0xE1...0xEC, 0xEE...0xEF: return (2, 0x80, 0xBF)
        case 0xED: return (2, 0x80, 0x9F)
        case 0xF0: return (3, 0x90, 0xBF)
        case 0xF1...0xF3: return (3, 0x80, 0xBF)
        case 0xF4: return (3, 0x80, 0x8F)
        default: return nil
        }
    }
}
