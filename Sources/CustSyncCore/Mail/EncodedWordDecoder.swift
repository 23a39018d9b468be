import Foundation

/// RFC 2047 encoded words (`=?charset?B|Q?text?=`) in header text.
///
/// Adjacent encoded words are joined without the whitespace between them, and their bytes are
/// decoded together when they share a charset: senders split GBK and UTF-8 characters across
/// words. A word that cannot be decoded (unknown charset, bad bytes) is kept as written.
public enum EncodedWordDecoder {
    private struct Word {
        var range: Range<String.Index>
        var charset: String
        var bytes: [UInt8]
    }

    public static func decode(_ text: String) -> String {
        guard text.contains("=?") else { return text }
        let scalars = text.unicodeScalars
        let words = findWords(in: scalars)
        guard !words.isEmpty else { return text }
        var result = String.UnicodeScalarView()
        var cursor = scalars.startIndex
        var pending: (charset: String, bytes: [UInt8], source: String.UnicodeScalarView)?
        func flush() {
            guard let p = pending else { return }
            if let decoder = try? CharsetDecoder(charset: p.charset), let s = try? decoder.decode(p.bytes) {
                result.append(contentsOf: s.unicodeScalars)
            } else {
                result.append(contentsOf: p.source)
            }
            pending = nil
        }
        for word in words {
            let between = scalars[cursor..<word.range.lowerBound]
            let adjacent = pending != nil && between.allSatisfy { $0.properties.isWhitespace }
            if adjacent, let p = pending, CharsetDecoder.canonicalName(for: p.charset).name
                == CharsetDecoder.canonicalName(for: word.charset).name {
                pending!.bytes += word.bytes
                pending!.source.append(contentsOf: scalars[word.range])
            } else {
                flush()
                if !adjacent { result.append(contentsOf: between) }
                pending = (word.charset, word.bytes, String.UnicodeScalarView(scalars[word.range]))
            }
            cursor = word.range.upperBound
        }
        flush()
        result.append(contentsOf: scalars[cursor...])
        return String(result)
    }

    /// The encoded words of `text`, in order. Work is linear in the length of the text, however
    /// many `=?` it holds: every scan for the end of a part stops at the next `?`.
    private static func findWords(in scalars: String.UnicodeScalarView) -> [Word] {
        var words: [Word] = []
        var index = scalars.startIndex
        while index < scalars.endIndex {
            let next = scalars.index(after: index)
            guard scalars[index] == "=", next < scalars.endIndex, scalars[next] == "?" else {
                index = next
                continue
            }
            if let word = parseWord(scalars, from: index) {
                words.append(word)
                index = word.range.upperBound
            } else {
                index = scalars.index(after: next)
            }
        }
        return words
    }

    /// The word `=?charset?B|Q?encoded-text?=` starting at `start`, if it is one. The encoded text
    /// holds no `?` and no space (RFC 2047), so the word ends at the first `?` after it.
    private static func parseWord(_ scalars: String.UnicodeScalarView, from start: String.Index) -> Word? {
        let charsetStart = scalars.index(start, offsetBy: 2)
        guard let q1 = scalars[charsetStart...].firstIndex(of: "?") else { return nil }
        var charset = String(scalars[charsetStart..<q1])
        if let star = charset.firstIndex(of: "*") { charset = String(charset[..<star]) }  // RFC 2231 language
        guard !charset.isEmpty, !charset.contains(where: { $0.isWhitespace }) else { return nil }
        let encoding = scalars.index(after: q1)
        guard encoding < scalars.endIndex else { return nil }
        let q2 = scalars.index(after: encoding)
        guard q2 < scalars.endIndex, scalars[q2] == "?" else { return nil }
        let payloadStart = scalars.index(after: q2)
        guard let q3 = scalars[payloadStart...].firstIndex(of: "?") else { return nil }
        let end = scalars.index(after: q3)
        guard end < scalars.endIndex, scalars[end] == "=" else { return nil }
        let payload = scalars[payloadStart..<q3]
        guard !payload.contains(where: { $0 == " " || $0 == "\t" }) else { return nil }
        let bytes: [UInt8]?
        switch scalars[encoding] {
        case "B", "b": bytes = TransferDecoding.base64(Array(String(payload).utf8))
        case "Q", "q": bytes = TransferDecoding.quotedPrintable(Array(String(payload).utf8), underscoreIsSpace: true)
        default: return nil
        }
        guard let bytes else { return nil }
        return Word(range: start..<scalars.index(after: end), charset: charset, bytes: bytes)
    }
}
