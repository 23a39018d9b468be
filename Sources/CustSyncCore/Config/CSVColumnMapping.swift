/// One checked `[Mapping]` line of a `csv-drop` connector: a column and the target it feeds.
public struct CSVColumnMapping: Sendable, Equatable {
    /// The header name as written (matched after trimming and lower-casing, see `CSVHeader`),
    /// or, with `Header=no`, the 1-based column number as text.
    public var column: String
    public var target: CSVMappingTarget
    /// The line in the connector file, for messages.
    public var line: Int

    public init(column: String, target: CSVMappingTarget, line: Int) {
        self.column = column
        self.target = target
        self.line = line
    }
}
