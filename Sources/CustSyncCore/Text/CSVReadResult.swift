/// What `CSVReader.next()` yields: a record, or the report of a broken one.
public enum CSVReadResult: Sendable, Equatable {
    case row(CSVRow)
    case malformed(CSVMalformedRecord)

    public var line: Int {
        switch self {
        case let .row(row): return row.line
        case let .malformed(record): return record.line
        }
    }

    public var byteOffset: Int64 {
        switch self {
        case let .row(row): return row.byteOffset
        case let .malformed(record): return record.byteOffset
        }
    }

    /// Resume point after this result (commit it with the data read so far).
    public var endOffset: Int64 {
        switch self {
        case let .row(row): return row.endOffset
        case let .malformed(record): return record.endOffset
        }
    }

    /// Physical line at `endOffset`.
    public var nextLine: Int {
        switch self {
        case let .row(row): return row.nextLine
        case let .malformed(record): return record.nextLine
        }
    }
}
