extension StringProtocol {
    /// The text without leading and trailing whitespace (Unicode White_Space: spaces, tabs, line
    /// breaks, the ideographic space U+3000). Most values have none and come back as they are;
    /// Foundation's `trimmingCharacters(in:)` bridges every string through NSString on Linux,
    /// which cost more than parsing a CSV row.
    public func trimmingWhitespace() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.first, let last = scalars.last else { return String(self) }
        // Printable ASCII at both ends (most values) is not White_Space: no property lookup.
        if (0x21...0x7E).contains(first.value) && (0x21...0x7E).contains(last.value) { return String(self) }
        guard first.properties.isWhitespace || last.properties.isWhitespace else { return String(self) }
        var start = scalars.startIndex
        var end = scalars.endIndex
        while start < end, scalars[start].properties.isWhitespace { scalars.formIndex(after: &start) }
        while end > start, scalars[scalars.index(before: end)].properties.isWhitespace { scalars.formIndex(before: &end) }
        return String(String.UnicodeScalarView(scalars[start..<end]))
    }
}
