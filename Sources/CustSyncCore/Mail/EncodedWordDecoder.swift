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
        let words = findWords(in: text)
        guard !words.isEmpty else { return text }
        var result = ""
        var cursor = text.startIndex
        var pending: (charset: String, bytes: [UInt8], source: String)?
        func flush() {
            guard let p = pending else { return }
            if let decoder = try? CharsetDecoder(charset: p.charset), let s = try? decoder.decode(p.bytes) {
                result += s
            } else {
                result += p.source
            }
            pending = nil
        }
        for word in words {
            let between = text[cursor..<word.range.lowerBound]
            let adjacent = pending != nil && between.allSatisfy { $0.isWhitespace }
            if adjacent, let p = pending, CharsetDecoder.canonicalName(for: p.charset).name
                == CharsetDecoder.canonicalName(for: word.charset).name {
                pending!.bytes += word.bytes
                pending!.source += text[word.range]
            } else {
                flush()
                if !adjacent { result += between }
                pending = (word.charset, word.bytes, String(text[word.range]))
            }
            cursor = word.range.upperBound
        }
        flush()
        result += text[cursor...]
        return result
    }

    private static func findWords(in text: String) -> [Word] {
        var words: [Word] = []
        var search = text.startIndex
        while let start = text.range(of: "=?", range: search..<text.endIndex) {
            guard let word = parseWord(text, from: start.lowerBound) else {
                search = start.upperBound
                continue
            }
            words.append(word)
            search = word.range.upperBound
        }
        return words
    }

    private static func parseWord(_ text: String, from start: String.Index) -> Word? {
        let afterOpen = text.index(start, offsetBy: 2)
        guard let q1 = text[afterOpen...].firstIndex(of: "?") else { return nil }
        var charset = String(text[afterOpen..<q1])
        if let star = charset.firstIndex(of: "*") { charset = String(charset[..<star]) }  // RFC 2231 language
        guard !charset.isEmpty, !charset.contains(where: { $0.isWhitespace }) else { return nil }
        let encIndex = text.index(after: q1)
        guard encIndex < text.endIndex else { return nil }
        let encoding = text[encIndex].uppercased()
        let q2 = text.index(after: encIndex)
        guard q2 < text.endIndex, text[q2] == "?", encoding == "B" || encoding == "Q" else { return nil }
        let payloadStart = text.index(after: q2)
        guard let close = text.range(of: "?=", range: payloadStart..<text.endIndex) else { return nil }
        let payload = text[payloadStart..<close.lowerBound]
        guard !payload.contains(where: { $0 == " " || $0 == "\t" }) else { return nil }
        let bytes: [UInt8]?
        if encoding == "B" {
            bytes = TransferDecoding.base64(Array(payload.utf8))
        } else {
            bytes = TransferDecoding.quotedPrintable(Array(payload.utf8), underscoreIsSpace: true)
        }
        guard let bytes else { return nil }
        return Word(range: start..<close.upperBound, charset: charset, bytes: bytes)
    }
}
