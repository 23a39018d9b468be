import Foundation

/// Maps a header row's column names to indexes, so connectors look fields up by name and
/// survive exports whose columns were reordered, re-cased or padded.
///
/// Names are matched after stripping a BOM (Excel leaves U+FEFF glued to the first name when the
/// BOM was not removed upstream), trimming whitespace (including the ideographic space U+3000)
/// and lowercasing. Duplicates are reported, and a lookup returns the first occurrence.
public struct CSVHeader: Sendable, Equatable {
    /// Column names as found, BOM stripped and trimmed (not lowercased), by index.
    public let names: [String]
    /// Normalised names that occur more than once, in order of their second occurrence.
    public let duplicates: [String]
    private let indexes: [String: Int]

    public init(names rawNames: [String]) {
        var names: [String] = []
        var indexes: [String: Int] = [:]
        var duplicates: [String] = []
        for (index, rawName) in rawNames.enumerated() {
            let name = Self.clean(rawName)
            names.append(name)
            let key = name.lowercased()
            guard !key.isEmpty else { continue }  // unnamed column: not addressable
            if indexes[key] == nil {
                indexes[key] = index
            } else if !duplicates.contains(key) {
                duplicates.append(key)
            }
        }
        self.names = names
        self.indexes = indexes
        self.duplicates = duplicates
    }

    /// Builds the header from the first row of a file.
    public init(row: CSVRow, decoder: CharsetDecoder) throws {
        self.init(names: try row.decodedFields(using: decoder))
    }

    /// The form names are compared in: BOM stripped, trimmed, lowercased.
    public static func normalize(_ name: String) -> String {
        clean(name).lowercased()
    }

    /// Index of the column called `name` (compared normalised), or `nil`.
    public func index(of name: String) -> Int? {
        indexes[Self.normalize(name)]
    }

    /// The names in `required` that have no column, as given.
    public func missing(_ required: some Sequence<String>) -> [String] {
        required.filter { index(of: $0) == nil }
    }

    /// Throws `CSVHeaderError` if a required column is missing or ambiguous (duplicated).
    /// Duplicates of columns nobody asked for are tolerated; they stay listed in `duplicates`.
    public func validate(required: some Sequence<String>) throws {
        let required = Array(required)
        let missing = missing(required)
        let wanted = Set(required.map(Self.normalize))
        let ambiguous = duplicates.filter { wanted.contains($0) }
        if !missing.isEmpty || !ambiguous.isEmpty {
            throw CSVHeaderError(missing: missing, duplicates: ambiguous)
        }
    }

    /// The value of column `name` in a decoded row, or `nil` if there is no such column or the
    /// row is too short.
    public func value(of name: String, in fields: [String]) -> String? {
        guard let index = index(of: name), index < fields.count else { return nil }
        return fields[index]
    }

    private static func clean(_ name: String) -> String {
        var scalars = Substring(name).unicodeScalars
        while scalars.first == "\u{FEFF}" { scalars.removeFirst() }
        return String(String.UnicodeScalarView(scalars)).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
