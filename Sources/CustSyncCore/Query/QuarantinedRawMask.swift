/// The raw input of a quarantine entry as `quarantine show` gives it to callers below admin.
///
/// A CSV row with its columns is shown one column a line, masked by what `[Mapping]` maps the
/// column to: personal fields as `PersonalDataMask.value` masks them, unmapped columns hidden
/// (nobody said what they hold), the other mapped columns as free text. A CSV row without
/// columns (quarantined before they were kept, or one that does not line up with its header)
/// is hidden whole: free text cannot tell an address from any other text. Other input (JSON,
/// mail headers) is masked as `PersonalDataMask.input` masks it.
enum QuarantinedRawMask {
    static func masked(_ raw: String, columns: [RawColumn]?, id: Int64, fromCSV: Bool) -> String {
        if let columns {
            return (columns.map(line) + [shownToAdmins(id)]).joined(separator: "\n")
        }
        guard fromCSV, !raw.isEmpty else { return PersonalDataMask.input(raw) }
        return "(a CSV row whose columns are not known, hidden below admin) \(shownToAdmins(id))"
    }

    private static func line(_ column: RawColumn) -> String {
        guard let target = column.target else {
            return "\(column.column) (not mapped): \(hidden(column.value))"
        }
        let value = PersonalDataMask.maskedFields.contains(target)
            ? PersonalDataMask.value(column.value, field: target)
            : PersonalDataMask.freeText(column.value)
        return "\(column.column) (\(target)): \(value)"
    }

    private static func hidden(_ value: String) -> String { value.isEmpty ? value : "***" }

    private static func shownToAdmins(_ id: Int64) -> String {
        "(masked below admin; an admin sees the row as read with `syncctl quarantine show \(id)`)"
    }
}
