/// Finds where the response to one tagged command ends in the bytes received so far: after the
/// line that starts with its tag. Literals (`{N}` at a line end, then N bytes) are stepped over
/// whole, so a message line that looks like a tagged or untagged response is message text.
/// Feed it the growing buffer again and again; it resumes where it stopped.
struct IMAPResponseFramer {
    /// Where the response ends (after the tagged line's LF) and where its tagged line starts.
    struct Frame: Equatable {
        var end: Int
        var taggedLine: Int
    }

    private let tag: [UInt8]
    private var scanned = 0
    private var lineStart = 0
    private var literalRemaining = 0

    /// `tag` as sent, e.g. `C7`.
    init(tag: String) {
        self.tag = Array((tag + " ").utf8)
    }

    mutating func frame(in buffer: [UInt8]) -> Frame? {
        while scanned < buffer.count {
            if literalRemaining > 0 {
                let step = min(literalRemaining, buffer.count - scanned)
                scanned += step
                literalRemaining -= step
                continue
            }
            guard let newline = buffer[scanned...].firstIndex(of: 0x0A) else {
                scanned = buffer.count
                return nil
            }
            scanned = newline + 1
            if let length = Self.literalLength(endingAt: newline, in: buffer) {
                // The logical line goes on after the literal.
                literalRemaining = length
                continue
            }
            let start = lineStart
            lineStart = scanned
            if buffer.count - start >= tag.count && buffer[start..<start + tag.count].elementsEqual(tag) {
                return Frame(end: scanned, taggedLine: start)
            }
        }
        return nil
    }

    /// N when the line ending at `newline` ends with `{N}` (or the non-synchronising `{N+}`).
    private static func literalLength(endingAt newline: Int, in buffer: [UInt8]) -> Int? {
        var index = newline
        if index > 0 && buffer[index - 1] == 0x0D { index -= 1 }
        guard index > 0, buffer[index - 1] == UInt8(ascii: "}") else { return nil }
        index -= 1
        if index > 0 && buffer[index - 1] == UInt8(ascii: "+") { index -= 1 }
        var length = 0
        var factor = 1
        var digits = 0
        while index > 0, buffer[index - 1] >= 0x30, buffer[index - 1] <= 0x39, digits < 18 {
            length += Int(buffer[index - 1] - 0x30) * factor
            factor *= 10
            digits += 1
            index -= 1
        }
        guard digits > 0, index > 0, buffer[index - 1] == UInt8(ascii: "{") else { return nil }
        return length
    }
}
