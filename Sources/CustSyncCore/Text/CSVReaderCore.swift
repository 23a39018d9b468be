/// The state machine behind `CSVReader` (see there for the accepted syntax and the
/// resynchronisation rule).
///
/// It is a struct driven through one `mutating` call per record so that its many small state
/// updates are checked for exclusive access at compile time; as stored properties of a class
/// each of them paid a runtime exclusivity check, which cost about a third of the parse time.
struct CSVReaderCore {
    let dialect: CSVDialect
    /// Stream offset of the next unread byte.
    private(set) var offset: Int64
    /// Physical line of the next unread byte.
    private(set) var line: Int

    private let source: any ByteSource
    private let chunkSize: Int
    private let startOffset: Int64

    /// Unread input is `buffer[position..<end]`; `offset` is the stream offset of `buffer[position]`.
    /// Owned: the `CSVReader` wrapping this core deallocates it (a struct has no deinit).
    private(set) var buffer: UnsafeMutableBufferPointer<UInt8>
    private var position = 0
    private var end = 0
    private var sourceExhausted = false
    private var started = false

    private enum State { case recordStart, fieldStart, unquoted, quoted, quoteSeen, discarding }
    private var state = State.recordStart
    private var fields: [[UInt8]] = []
    private var field: [UInt8] = []
    /// Every byte of the current record (terminator excluded) while it is being parsed: it is
    /// `rawBytes`, the quarantine prefix, and what is re-read after an unterminated quote.
    private var raw: [UInt8] = []
    private var recordOffset: Int64 = 0
    private var recordLine = 1
    private var lastFieldCount = 0
    private var pendingLeadByte = false
    private var lastQuotedByteWasCR = false
    private var quoteLine = 0
    private var quoteField = 0
    /// Index in `raw` just after the first line break inside the open quoted field, and the line there.
    private var quoteLineEndIndex: Int?
    private var quoteLineEndLine = 0
    private var discardReason = ""

    private static let cr: UInt8 = 0x0D
    private static let lf: UInt8 = 0x0A
    private static let retainedCapacityLimit = 256 * 1024

    init(source: any ByteSource, dialect: CSVDialect, startOffset: Int64, startLine: Int, chunkSize: Int) {
        precondition(chunkSize > 0 && startOffset >= 0 && startLine >= 1)
        self.source = source
        self.dialect = dialect
        self.startOffset = startOffset
        self.offset = startOffset
        self.line = startLine
        self.chunkSize = chunkSize
        self.buffer = .allocate(capacity: chunkSize)
    }

    mutating func next() throws -> CSVReadResult? {
        if !started {
            started = true
            if startOffset == 0 { try skipBOM() }
        }
        while true {
            if position == end, try !refill() {
                return try finishAtEndOfStream()
            }
            if let result = try step() { return result }
        }
    }

    var retainedByteCapacity: Int {
        buffer.count + raw.capacity + field.capacity + fields.reduce(0) { $0 + $1.capacity }
    }
    // MARK: - State machine

    /// Consumes at most one token (a run of field bytes or one structural byte).
    private mutating func step() throws -> CSVReadResult? {
        let byte = buffer[position]
        switch state {
        case .recordStart:
            if byte == Self.lf || byte == Self.cr {  // empty line
                consume()
                line += 1
                if byte == Self.cr, try peekByte() == Self.lf { consume() }
                return nil
            }
            recordOffset = offset
            recordLine = line
            fields.reserveCapacity(lastFieldCount)
            state = .fieldStart
            return nil

        case .fieldStart:
            if byte == dialect.quote {
                guard appendRaw(byte) else { return try overflow() }
                consume()
                state = .quoted
                quoteLine = line
                quoteField = fields.count + 1
                quoteLineEndIndex = nil
                lastQuotedByteWasCR = false
            } else if byte == dialect.delimiter {
                guard appendRaw(byte) else { return try overflow() }
                consume()
                finishField()
            } else if byte == Self.cr || byte == Self.lf {
                return try endRecord()
            } else {
                state = .unquoted
            }
            return nil

        case .unquoted:
            let stop = scan(stopAtDelimiter: true)
            if stop > position {
                guard appendRaw(upTo: stop) else { return try overflow() }
                appendField(upTo: stop)
                advance(to: stop)
            }
            guard position < end else { return nil }
            let next = buffer[position]
            if next == dialect.delimiter {
                guard appendRaw(next) else { return try overflow() }
                consume()
                finishField()
                state = .fieldStart
            } else if next == Self.cr || next == Self.lf {
                return try endRecord()
            } else {
                startDiscarding("unexpected quote in unquoted field \(fields.count + 1)")
            }
            return nil

        case .quoted:
            let stop = scan(stopAtDelimiter: false)
            if stop > position {
                guard appendRaw(upTo: stop) else { return try overflow() }
                appendField(upTo: stop)
                advance(to: stop)
                lastQuotedByteWasCR = false
            }
            guard position < end else { return nil }
            let next = buffer[position]
            guard appendRaw(next) else { return try overflow() }
            consume()
            if next == dialect.quote {
                state = .quoteSeen
                return nil
            }
            field.append(next)  // CR or LF inside quotes
            if next == Self.lf && lastQuotedByteWasCR {
                if quoteLineEndIndex == raw.count - 1 { quoteLineEndIndex = raw.count }
            } else {
                line += 1
                if quoteLineEndIndex == nil {
                    quoteLineEndIndex = raw.count
                    quoteLineEndLine = line
                }
            }
            lastQuotedByteWasCR = next == Self.cr
            return nil

        case .quoteSeen:
            if byte == dialect.quote {  // "" inside a quoted field
                guard appendRaw(byte) else { return try overflow() }
                consume()
                field.append(byte)
                lastQuotedByteWasCR = false
                state = .quoted
            } else if byte == dialect.delimiter {
                guard appendRaw(byte) else { return try overflow() }
                consume()
                finishField()
                state = .fieldStart
            } else if byte == Self.cr || byte == Self.lf {
                return try endRecord()
            } else {
                startDiscarding("unexpected character after closing quote in field \(fields.count + 1)")
            }
            return nil

        case .discarding:
            var stop = position
            while stop < end && buffer[stop] != Self.cr && buffer[stop] != Self.lf { stop += 1 }
            let keep = min(stop - position, max(0, dialect.maxRawPrefixLength - raw.count))
            if keep > 0 {
                raw.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[position..<(position + keep)]))
            }
            advance(to: stop)
            guard position < end else { return nil }
            let terminator = buffer[position]
            consume()
            line += 1
            if terminator == Self.cr, try peekByte() == Self.lf { consume() }
            return finishMalformed(discardReason)
        }
    }

    private mutating func finishAtEndOfStream() throws -> CSVReadResult? {
        switch state {
        case .recordStart:
            return nil
        case .fieldStart, .unquoted, .quoteSeen:
            finishField()
            return finishRow()
        case .quoted:
            return try unterminatedQuote("reached end of file")
        case .discarding:
            return finishMalformed(discardReason)
        }
    }

    /// Ends the record at the CR or LF at `position`, consuming the whole terminator.
    private mutating func endRecord() throws -> CSVReadResult {
        finishField()
        let terminator = buffer[position]
        consume()
        line += 1
        if terminator == Self.cr, try peekByte() == Self.lf { consume() }
        return finishRow()
    }

    private mutating func overflow() throws -> CSVReadResult? {
        let reason = "record longer than MaxLineLength=\(dialect.maxRecordLength) bytes"
        if state == .quoted && quoteLineEndIndex != nil {
            return try unterminatedQuote(reason)
        }
        startDiscarding(reason)
        return nil
    }

    /// Reports the record up to the end of the line on which the open quote started and
    /// re-reads what follows as new records.
    private mutating func unterminatedQuote(_ detail: String) throws -> CSVReadResult {
        let reason = "unterminated quoted field \(quoteField) opened at line \(quoteLine): \(detail)"
        guard let lineEnd = quoteLineEndIndex else {
            return finishMalformed(reason)  // quote opened on the last line: nothing to re-read
        }
        var endOffset = recordOffset + Int64(lineEnd)
        let replay = Array(raw[lineEnd...])
        if replay.isEmpty && lastQuotedByteWasCR, try peekByte() == Self.lf {
            consume()  // keep the LF of a CRLF with the line it terminates
            endOffset += 1
        }
        let record = CSVMalformedRecord(
            line: recordLine, byteOffset: recordOffset, endOffset: endOffset, nextLine: quoteLineEndLine,
            reason: reason, rawPrefix: Array(raw[0..<min(lineEnd, dialect.maxRawPrefixLength)]))
        pushBack(replay)
        offset = endOffset
        line = quoteLineEndLine
        resetRecord()
        return .malformed(record)
    }

    private mutating func startDiscarding(_ reason: String) {
        state = .discarding
        discardReason = reason
        pendingLeadByte = false
    }

    private mutating func finishField() {
        fields.append(field.withUnsafeBufferPointer { Array($0) })  // exact-size copy; `field` keeps its capacity
        field.removeAll(keepingCapacity: true)
    }

    private mutating func finishRow() -> CSVReadResult {
        let row = CSVRow(
            fields: fields, line: recordLine, byteOffset: recordOffset, endOffset: offset, nextLine: line,
            rawBytes: raw.withUnsafeBufferPointer { Array($0) })
        lastFieldCount = fields.count
        resetRecord()
        return .row(row)
    }

    private mutating func finishMalformed(_ reason: String) -> CSVReadResult {
        let record = CSVMalformedRecord(
            line: recordLine, byteOffset: recordOffset, endOffset: offset, nextLine: line,
            reason: reason, rawPrefix: Array(raw.prefix(dialect.maxRawPrefixLength)))
        resetRecord()
        return .malformed(record)
    }

    private mutating func resetRecord() {
        state = .recordStart
        fields = []
        // Keep the buffers of ordinary records for reuse, but hand back those of an exceptional one.
        if raw.capacity > Self.retainedCapacityLimit {
            raw = []
            field = []
        } else {
            field.removeAll(keepingCapacity: true)
            raw.removeAll(keepingCapacity: true)
        }
        pendingLeadByte = false
        quoteLineEndIndex = nil
    }

    /// End of the run of ordinary field bytes starting at `position`. In double-byte mode a
    /// lead byte (81–FE) protects the byte after it, across chunk boundaries too.
    private mutating func scan(stopAtDelimiter: Bool) -> Int {
        let quote = dialect.quote
        let delimiter = stopAtDelimiter ? dialect.delimiter : quote
        let doubleByte = dialect.doubleByteEncoding
        var lead = pendingLeadByte
        var i = position
        while i < end {
            let c = buffer[i]
            if lead {
                lead = false
                if (0x30...0x39).contains(c) || (0x40...0x7E).contains(c) || (0x80...0xFE).contains(c) {
                    i += 1
                    continue
                }
            }
            if c == delimiter || c == quote || c == Self.cr || c == Self.lf { break }
            if doubleByte && c >= 0x81 && c <= 0xFE { lead = true }
            i += 1
        }
        pendingLeadByte = lead
        return i
    }

    // MARK: - Input

    private mutating func skipBOM() throws {
        let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
        var matched: [UInt8] = []
        while matched.count < bom.count, let b = try peekByte(), b == bom[matched.count] {
            matched.append(b)
            consume()
        }
        if matched.count < bom.count && !matched.isEmpty {  // not a BOM after all: un-read it
            pushBack(matched)
            offset -= Int64(matched.count)
        }
    }

    private mutating func appendRaw(_ byte: UInt8) -> Bool {
        guard raw.count < dialect.maxRecordLength else { return false }
        raw.append(byte)
        return true
    }

    private mutating func appendRaw(upTo stop: Int) -> Bool {
        guard raw.count + (stop - position) <= dialect.maxRecordLength else { return false }
        Self.reserve(&raw, adding: stop - position, limit: dialect.maxRecordLength)
        raw.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[position..<stop]))
        return true
    }

    /// Appends the bytes `appendRaw(upTo:)` just accepted to the current field.
    private mutating func appendField(upTo stop: Int) {
        Self.reserve(&field, adding: stop - position, limit: dialect.maxRecordLength)
        field.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[position..<stop]))
    }

    /// Grows geometrically like Array does, but never past `maxRecordLength`, so a record near
    /// the limit does not leave buffers of twice the limit behind.
    private static func reserve(_ bytes: inout [UInt8], adding count: Int, limit: Int) {
        let needed = bytes.count + count
        if needed > bytes.capacity {
            bytes.reserveCapacity(max(needed, min(bytes.capacity * 2, limit)))
        }
    }

    private mutating func consume() {
        position += 1
        offset += 1
    }

    private mutating func advance(to stop: Int) {
        offset += Int64(stop - position)
        position = stop
    }

    private mutating func peekByte() throws -> UInt8? {
        if position == end, try !refill() { return nil }
        return buffer[position]
    }

    /// Replaces the (fully consumed) buffer with the next chunk; `false` at end of stream.
    private mutating func refill() throws -> Bool {
        if sourceExhausted { return false }
        if buffer.count != chunkSize {  // shrink back after a push-back
            buffer.deallocate()
            buffer = .allocate(capacity: chunkSize)
        }
        position = 0
        end = 0
        let n = try source.read(into: UnsafeMutableRawBufferPointer(buffer))
        if n == 0 {
            sourceExhausted = true
            return false
        }
        end = n
        return true
    }

    /// Puts `bytes` in front of the unread input (BOM look-ahead, re-reading after a bad quote).
    private mutating func pushBack(_ bytes: [UInt8]) {
        guard !bytes.isEmpty else { return }
        let pending = end - position
        let newBuffer = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: max(chunkSize, bytes.count + pending))
        _ = newBuffer.initialize(from: bytes)
        if pending > 0 {
            _ = UnsafeMutableBufferPointer(rebasing: newBuffer[bytes.count...])
                .initialize(from: UnsafeBufferPointer(rebasing: buffer[position..<end]))
        }
        buffer.deallocate()
        buffer = newBuffer
        position = 0
        end = bytes.count + pending
    }
}
