/// Content-Transfer-Encoding and RFC 2047 payload decoding, lenient the way mail readers are:
/// line breaks and stray characters in base64 are skipped, missing padding is tolerated, and a
/// malformed `=XX` in quoted-printable is kept literally.
public enum TransferDecoding {
    private static let base64Values: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (i, c) in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8.enumerated() {
            table[Int(c)] = UInt8(i)
        }
        return table
    }()

    /// Decodes base64, ignoring characters outside the alphabet; `nil` only when the input
    /// leaves a single dangling sextet (cannot be a byte).
    public static func base64(_ input: [UInt8]) -> [UInt8]? {
        var out: [UInt8] = []
        out.reserveCapacity(input.count * 3 / 4)
        var accumulator: UInt32 = 0
        var bits = 0
        var sextets = 0
        for c in input {
            if c == UInt8(ascii: "=") { break }
            let v = base64Values[Int(c)]
            if v == 0xFF { continue }
            accumulator = (accumulator << 6) | UInt32(v)
            bits += 6
            sextets += 1
            if bits >= 8 {
                bits -= 8
                out.append(UInt8((accumulator >> UInt32(bits)) & 0xFF))
            }
        }
        if sextets % 4 == 1 { return nil }
        return out
    }

    /// Decodes quoted-printable; soft line breaks (`=` at line end) are removed.
    public static func quotedPrintable(_ input: [UInt8], underscoreIsSpace: Bool = false) -> [UInt8]? {
        var out: [UInt8] = []
        out.reserveCapacity(input.count)
        var i = 0
        while i < input.count {
            let c = input[i]
            if c == UInt8(ascii: "=") {
                if i + 1 < input.count && input[i + 1] == 0x0A { i += 2; continue }
                if i + 2 < input.count && input[i + 1] == 0x0D && input[i + 2] == 0x0A { i += 3; continue }
                if i + 2 < input.count, let h = hex(input[i + 1]), let l = hex(input[i + 2]) {
                    out.append(h << 4 | l)
                    i += 3
                    continue
                }
                out.append(c)
            } else if underscoreIsSpace && c == UInt8(ascii: "_") {
                out.append(0x20)
            } else {
                out.append(c)
            }
            i += 1
        }
        return out
    }

    private static func hex(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
        default: return nil
        }
    }
}
