/// A file name in a drop folder: the bytes the kernel has, and a safe text form of them.
///
/// Upstream systems write names in whatever encoding their OS uses (GBK from a Windows share is
/// common), so names are kept as bytes until the file is claimed; it is then renamed to `text`,
/// in which invalid UTF-8 and control bytes are written as `%XX`. A name never contains `/`, so
/// every file operation relative to a folder descriptor stays inside that folder.
struct DropFileName: Hashable, Sendable, CustomStringConvertible {
    let bytes: [UInt8]

    init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    init(_ text: String) {
        self.bytes = Array(text.utf8)
    }

    /// The name as safe text: valid UTF-8 without control characters.
    var text: String {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            let length = Self.validSequenceLength(bytes, at: index)
            if length == 0 || (length == 1 && (bytes[index] < 0x20 || bytes[index] == 0x7F)) {
                out += Array("%\(String(bytes[index], radix: 16, uppercase: true).leftPadded)".utf8)
                index += 1
            } else {
                out += bytes[index..<(index + length)]
                index += length
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    var description: String { text }

    /// Names a drop folder never touches: empty, `.`, `..`, or holding `/` or NUL.
    var isUsable: Bool {
        !bytes.isEmpty && bytes != [0x2E] && bytes != [0x2E, 0x2E] && !bytes.contains(0x2F) && !bytes.contains(0)
    }

    var isHidden: Bool { bytes.first == UInt8(ascii: ".") }

    func hasSuffix(_ suffix: String) -> Bool {
        let tail = Array(suffix.utf8)
        return bytes.count > tail.count && Array(bytes.suffix(tail.count)) == tail
    }

    func appending(_ suffix: String) -> DropFileName { DropFileName(bytes: bytes + Array(suffix.utf8)) }

    func dropping(suffix: String) -> DropFileName { DropFileName(bytes: Array(bytes.dropLast(suffix.utf8.count))) }

    /// Calls `body` with the name as a NUL-terminated C string.
    func withCString<T>(_ body: (UnsafePointer<CChar>) throws -> T) rethrows -> T {
        try (bytes + [0]).withUnsafeBufferPointer { buffer in
            try buffer.withMemoryRebound(to: CChar.self) { try body($0.baseAddress!) }
        }
    }

    /// Length of the valid UTF-8 sequence starting at `index`, or 0 if there is none.
    private static func validSequenceLength(_ bytes: [UInt8], at index: Int) -> Int {
        let b = bytes[index]
        if b < 0x80 { return 1 }
        var length = 0
        var lower: UInt8 = 0x80, upper: UInt8 = 0xBF
        switch b {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; lower = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; upper = 0x9F
        case 0xF0: length = 4; lower = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; upper = 0x8F
        default: return 0
        }
        guard index + length <= bytes.count else { return 0 }
        for offset in 1..<length {
            let c = bytes[index + offset]
            let (lo, hi) = offset == 1 ? (lower, upper) : (UInt8(0x80), UInt8(0xBF))
            if c < lo || c > hi { return 0 }
        }
        return length
    }
}

private extension String {
    var leftPadded: String { count < 2 ? "0" + self : self }
}
