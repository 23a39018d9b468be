/// How the rows of one CSV file split into columns: their header names (nil without a header),
/// what `[Mapping]` maps each column to (`phone`, `call.agent` …), and the delimiter. Every
/// record of the file shares one layout; quarantine splits a rejected row's raw text with it
/// (`columns(of:)`), so the rows that go in pay nothing for it.
public final class CSVRowLayout: Sendable, Equatable {
    public let names: [String]?
    /// Column index → mapping target; unmapped columns are absent.
    public let targets: [Int: String]
    private let delimiter: UInt8

    public init(names: [String]?, targets: [Int: String], delimiter: UInt8) {
        self.names = names
        self.targets = targets
        self.delimiter = delimiter
    }

    /// `raw`, the text of one row, split into its columns; nil unless it is one well-formed row
    /// that lines up with the header.
    public func columns(of raw: String) -> [RawColumn]? {
        let reader = CSVReader(source: MemoryByteSource(Array(raw.utf8)), dialect: CSVDialect(delimiter: delimiter))
        guard case .row(let row)? = try? reader.next(), (try? reader.next()) == nil else { return nil }
        if let names, row.fields.count != names.count { return nil }
        return row.fields.enumerated().map { index, bytes in
            RawColumn(column: names?[index] ?? String(index + 1), target: targets[index],
                      value: String(decoding: bytes, as: UTF8.self))
        }
    }

    /// One file's layout is one object: records compare it by identity.
    public static func == (a: CSVRowLayout, b: CSVRowLayout) -> Bool { a === b }
}
