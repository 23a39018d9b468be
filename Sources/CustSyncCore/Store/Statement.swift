import CSQLite

/// A prepared statement. It owns its `sqlite3_stmt` and finalizes it in `deinit`; the
/// connection keeps it cached, so hot statements are prepared once.
public final class Statement {
    let handle: OpaquePointer
    let sql: String
    private unowned let connection: SQLiteConnection

    init(connection: SQLiteConnection, sql: String) throws(StoreError) {
        var stmt: OpaquePointer?
        let rc = sqlite3_prepare_v3(connection.handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &stmt, nil)
        guard rc == SQLITE_OK, let stmt else {
            throw connection.error(rc, sql: sql)
        }
        self.handle = stmt
        self.sql = sql
        self.connection = connection
    }

    /// The text parameters of the current binding. SQLite reads them in place (`SQLITE_STATIC`)
    /// instead of copying each into an allocation of its own; they stay valid until the next
    /// `bind` or the statement's end.
    private var texts = UnsafeMutableRawBufferPointer.allocate(byteCount: 256, alignment: 1)

    deinit {
        sqlite3_finalize(handle)
        texts.deallocate()
    }

    /// Resets the statement and binds `values` to its parameters, in order. Every parameter is
    /// bound on every call, so old bindings never need clearing.
    public func bind(_ values: [SQLBindable]) throws(StoreError) {
        sqlite3_reset(handle)
        while try !bindAll(values) {}
    }

    /// Binds every value; false when the texts outgrew `texts`, which then has grown and nothing
    /// points into the old one: binding starts over (rarely, as the buffer only grows).
    private func bindAll(_ values: [SQLBindable]) throws(StoreError) -> Bool {
        var offset = 0
        var index: Int32 = 1
        for value in values {
            let rc: Int32
            switch value.sqlValue {
            case .null: rc = sqlite3_bind_null(handle, index)
            case .integer(let i): rc = sqlite3_bind_int64(handle, index, i)
            case .real(let d): rc = sqlite3_bind_double(handle, index, d)
            case .text(var s):
                let count = s.utf8.count
                if offset + count > texts.count {
                    sqlite3_clear_bindings(handle)
                    let size = max(2 * (offset + count), 2 * texts.count)
                    texts.deallocate()
                    texts = .allocate(byteCount: size, alignment: 1)
                    return false
                }
                let start = texts.baseAddress! + offset
                s.withUTF8 { utf8 in
                    if let source = utf8.baseAddress { start.copyMemory(from: source, byteCount: count) }
                }
                offset += count
                rc = sqlite3_bind_text(handle, index, start.assumingMemoryBound(to: CChar.self), Int32(count), nil)
            }
            guard rc == SQLITE_OK else { throw connection.error(rc, sql: sql) }
            index += 1
        }
        return true
    }

    /// Advances to the next row; `false` when done.
    public func step() throws(StoreError) -> Bool {
        let rc = sqlite3_step(handle)
        switch rc {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default:
            let error = connection.error(rc, sql: sql)
            sqlite3_reset(handle)
            throw error
        }
    }

    /// Runs a statement that returns no rows.
    public func run(_ values: [SQLBindable] = []) throws(StoreError) {
        try bind(values)
        while try step() {}
        sqlite3_reset(handle)
    }

    /// Runs a query and returns every row.
    public func rows(_ values: [SQLBindable] = []) throws(StoreError) -> [Row] {
        try bind(values)
        var result: [Row] = []
        while try step() { result.append(currentRow()) }
        sqlite3_reset(handle)
        return result
    }

    /// Runs a query and returns its first row, if any.
    public func first(_ values: [SQLBindable] = []) throws(StoreError) -> Row? {
        try bind(values)
        defer { sqlite3_reset(handle) }
        return try step() ? currentRow() : nil
    }

    /// The first column of every row, as text (identifier lookups on the hot path).
    public func strings(_ values: [SQLBindable] = []) throws(StoreError) -> [String] {
        try bind(values)
        var result: [String] = []
        while try step() { if let text = text(0) { result.append(text) } }
        sqlite3_reset(handle)
        return result
    }

    /// The first column of the first row, as text.
    public func firstString(_ values: [SQLBindable] = []) throws(StoreError) -> String? {
        try bind(values)
        defer { sqlite3_reset(handle) }
        return try step() ? text(0) : nil
    }

    /// The UTF-8 bytes of the first two columns of every row, valid only during `body`: scans
    /// of key tables that neither build rows nor make strings.
    func forEachBytePair(_ body: (UnsafeBufferPointer<UInt8>, UnsafeBufferPointer<UInt8>) -> Void) throws(StoreError) {
        try bind([])
        defer { sqlite3_reset(handle) }
        while try step() { body(bytes(0), bytes(1)) }
    }

    private func bytes(_ column: Int32) -> UnsafeBufferPointer<UInt8> {
        let start = sqlite3_column_text(handle, column) // before `bytes`: it may convert the value
        return UnsafeBufferPointer(start: start, count: Int(sqlite3_column_bytes(handle, column)))
    }

    private func text(_ column: Int32) -> String? {
        guard let bytes = sqlite3_column_text(handle, column) else { return nil }
        let count = Int(sqlite3_column_bytes(handle, column))
        return String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
    }

    /// Calls `body` for each row without collecting them (streaming exports, journal tails).
    public func forEach(_ values: [SQLBindable] = [], _ body: (Row) throws -> Void) throws {
        try bind(values)
        defer { sqlite3_reset(handle) }
        while try step() { try body(currentRow()) }
    }

    func currentRow() -> Row {
        let count = sqlite3_column_count(handle)
        var values: [SQLValue] = []
        values.reserveCapacity(Int(count))
        for i in 0..<count {
            switch sqlite3_column_type(handle, i) {
            case SQLITE_INTEGER: values.append(.integer(sqlite3_column_int64(handle, i)))
            case SQLITE_FLOAT: values.append(.real(sqlite3_column_double(handle, i)))
            case SQLITE_NULL: values.append(.null)
            default:
                values.append(text(i).map(SQLValue.text) ?? .null)
            }
        }
        return Row(values: values)
    }
}
