import Foundation
import Glibc

/// Decodes byte strings in a legacy or Unicode charset to `String`, strictly.
///
/// Invalid input throws with a byte offset instead of being replaced with U+FFFD: customer
/// names silently turned into "\u{FFFD}\u{FFFD}" would be stored and matched as real data.
/// One instance owns one `iconv_t` (closed in `deinit`) and is reused for every field of a file
/// or every encoded word of a message; it is not thread-safe, so do not share it across tasks.
/// UTF-8 and US-ASCII are validated in Swift, and pure-ASCII input never reaches iconv.
public final class CharsetDecoder {
    /// Canonical name of the charset actually used (e.g. `GB18030` for `gbk`).
    public let charset: String
    private let converter: iconv_t?
    private let asciiOnly: Bool
    /// Bytes 00–7F mean ASCII in this charset, so pure-ASCII input can skip conversion.
    private let asciiCompatible: Bool

    /// Accepts the usual MIME/IANA aliases. GB2312, GBK, CP936 and friends all map to GB18030,
    /// a strict superset, because exports labelled "GB2312" routinely contain GBK-only characters.
    /// Unknown labels are passed to iconv as they are; `unsupportedCharset` if it rejects them.
    public init(charset label: String) throws {
        let (name, known) = Self.canonicalName(for: label)
        charset = name
        asciiCompatible = known
        asciiOnly = name == "US-ASCII"
        if name == "UTF-8" || name == "US-ASCII" {
            converter = nil
            return
        }
        guard let cd = iconv_open("UTF-8", name), cd != UnsafeMutableRawPointer(bitPattern: -1) else {
            throw CharsetDecodingError.unsupportedCharset(label)
        }
        converter = cd
    }

    deinit {
        if let converter { iconv_close(converter) }
    }

    /// The canonical (iconv) name for a charset label, and whether it is one of the known
    /// ASCII-compatible charsets.
    public static func canonicalName(for label: String) -> (name: String, known: Bool) {
        let trimmed = label.trimmingCharacters(in: .whitespacesAndNewlines.union(["\"", "'"]))
        let key = String(trimmed.lowercased().unicodeScalars.filter { !"-_ .".unicodeScalars.contains($0) })
        switch key {
        case "utf8", "unicode11utf8":
            return ("UTF-8", true)
        case "usascii", "ascii", "ansix341968", "iso646us", "us", "cp367", "ibm367":
            return ("US-ASCII", true)
        case "gb18030", "gbk", "gb2312", "xgbk", "cp936", "ms936", "windows936", "euccn", "xeuccn",
             "csgb2312", "gb231280", "chinese":
            return ("GB18030", true)
        case "big5", "csbig5", "xxbig5", "cnbig5":
            return ("BIG5", true)
        case "big5hkscs":
            return ("BIG5-HKSCS", true)
        case "latin1", "l1", "cp819", "ibm819", "csisolatin1":
            return ("ISO-8859-1", true)
        case "latin2", "l2":
            return ("ISO-8859-2", true)
        case "latin9", "l9":
            return ("ISO-8859-15", true)
        default:
            break
        }
        if key.hasPrefix("iso8859"), let n = Int(key.dropFirst(7)), (1...16).contains(n), n != 12 {
            return ("ISO-8859-\(n)", true)
        }
        for prefix in ["windows", "xcp", "cp"] where key.hasPrefix(prefix) {
            if let n = Int(key.dropFirst(prefix.count)), (1250...1258).contains(n) {
                return ("WINDOWS-\(n)", true)
            }
        }
        return (trimmed.uppercased(), false)
    }

    /// Decodes `bytes`; throws `CharsetDecodingError` with the offset of the first bad byte.
    public func decode(_ bytes: some Collection<UInt8>) throws -> String {
        if let decoded = try bytes.withContiguousStorageIfAvailable({ try decode(buffer: $0) }) {
            return decoded
        }
        return try Array(bytes).withUnsafeBufferPointer { try decode(buffer: $0) }
    }

    private func decode(buffer: UnsafeBufferPointer<UInt8>) throws -> String {
        guard buffer.count > 0 else { return "" }
        let firstNonASCII = asciiCompatible ? buffer.firstIndex(where: { $0 >= 0x80 }) : 0
        guard let firstNonASCII else {
            return String(decoding: buffer, as: UTF8.self)
        }
        if asciiOnly {
            throw CharsetDecodingError.invalidSequence(charset: charset, offset: firstNonASCII)
        }
        guard let converter else {
            if let bad = UTF8Validator.firstInvalidOffset(in: UnsafeRawBufferPointer(buffer)) {
                throw CharsetDecodingError.invalidSequence(charset: charset, offset: bad)
            }
            return String(decoding: buffer, as: UTF8.self)
        }
        return try convert(buffer, with: converter)
    }

    private func convert(_ buffer: UnsafeBufferPointer<UInt8>, with cd: iconv_t) throws -> String {
        _ = iconv(cd, nil, nil, nil, nil)  // reset shift state left by a previous failed call
        // Every supported charset needs at most 3 UTF-8 bytes per input byte; grow on E2BIG anyway.
        var output = [UInt8](repeating: 0, count: buffer.count * 3 + 16)
        var produced = 0
        var inPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(mutating: buffer.baseAddress!)
            .assumingMemoryBound(to: CChar.self)
        var inLeft = buffer.count
        var flushing = false
        while true {
            var code: Int32 = 0
            let result = output.withUnsafeMutableBytes { out -> Int in
                var outPointer: UnsafeMutablePointer<CChar>? = (out.baseAddress! + produced)
                    .assumingMemoryBound(to: CChar.self)
                var outLeft = out.count - produced
                let r = flushing
                    ? iconv(cd, nil, nil, &outPointer, &outLeft)
                    : iconv(cd, &inPointer, &inLeft, &outPointer, &outLeft)
                code = errno
                produced = out.count - outLeft
                return r
            }
            if result != -1 {
                if flushing { break }
                flushing = true  // emit any pending state of stateful charsets
                continue
            }
            let offset = buffer.count - inLeft
            switch code {
            case E2BIG: output.append(contentsOf: repeatElement(0, count: output.count))
            case EILSEQ: throw CharsetDecodingError.invalidSequence(charset: charset, offset: offset)
            case EINVAL: throw CharsetDecodingError.truncatedSequence(charset: charset, offset: offset)
            default: throw CharsetDecodingError.conversionFailed(charset: charset, errno: code)
            }
        }
        return String(decoding: output[0..<produced], as: UTF8.self)
    }
}
