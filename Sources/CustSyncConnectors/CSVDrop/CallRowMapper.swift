import CustSyncCore
import Foundation

/// Turns the rows of one call-center file into `SourceRecord`s with a `call` interaction, by the
/// connector's `[Mapping]`; explains each row it cannot turn into one.
///
/// Keys: the customer's source key is the `key` column when mapped and filled, else
/// `<content hash>:<line>`; the call's key is the `call.id` column when mapped and filled, else
/// `<content hash>:<line>`. So the same row of the same content is the same record, under any
/// file name, and applying it twice changes nothing.
struct CallRowMapper {
    struct Problem: Error, Equatable {
        var reason: String
    }

    private struct Column {
        var index: Int
        var target: CSVMappingTarget
        var label: String
    }

    private let columns: [Column]
    /// How quarantine splits a rejected row into its columns, shared by the file's records.
    let layout: CSVRowLayout
    private let expectedFieldCount: Int?
    private let highestIndex: Int
    private let fileName: String
    private let contentKey: String
    private let fileModified: Date
    private let decoder: CharsetDecoder
    private let times: CallTimeParser
    private let mapsTime: Bool

    /// - Parameters:
    ///   - header: the file's header row, or `nil` with `Header=no` (columns mapped by number).
    ///   - contentKey: a short form of the file's content hash, the prefix of generated keys.
    init(settings: CSVDropSettings, header: CSVHeader?, fileName: String, contentKey: String, fileModified: Date,
         decoder: CharsetDecoder, times: CallTimeParser) throws(Problem) {
        var columns: [Column] = []
        if let header {
            let wanted = settings.columns.map(\.column)
            let missing = header.missing(wanted)
            let ambiguous = Set(wanted.map(CSVHeader.normalize)).intersection(header.duplicates)
            if !missing.isEmpty || !ambiguous.isEmpty {
                var parts: [String] = []
                if !missing.isEmpty { parts.append("missing column(s) \(missing.map { "\"\($0)\"" }.joined(separator: ", "))") }
                if !ambiguous.isEmpty { parts.append("column(s) \(ambiguous.sorted().map { "\"\($0)\"" }.joined(separator: ", ")) appear more than once") }
                let shown = header.names.prefix(30).map { "\"\($0)\"" }.joined(separator: ", ")
                throw Problem(reason: "header does not match [Mapping]: \(parts.joined(separator: "; ")) (the header has: \(shown))")
            }
            for mapping in settings.columns {
                columns.append(Column(index: header.index(of: mapping.column)!, target: mapping.target,
                                      label: "\(mapping.target) column \"\(mapping.column)\""))
            }
            expectedFieldCount = header.names.count
        } else {
            for mapping in settings.columns {
                let number = Int(mapping.column.trimmingCharacters(in: .whitespaces)) ?? 1
                columns.append(Column(index: number - 1, target: mapping.target, label: "\(mapping.target) column \(number)"))
            }
            expectedFieldCount = nil
        }
        self.columns = columns
        // A column mapped twice (to `phone` and `key`, say) counts as the personal one.
        let targets = Dictionary(columns.map { ($0.index, $0.target.description) }) { first, second in
            PersonalDataMask.maskedFields.contains(second) ? second : first
        }
        layout = CSVRowLayout(names: header?.names, targets: targets, delimiter: settings.delimiter)
        self.highestIndex = columns.map(\.index).max() ?? 0
        self.fileName = fileName
        self.contentKey = contentKey
        self.fileModified = fileModified
        self.decoder = decoder
        self.times = times
        self.mapsTime = settings.columns.contains { $0.target == .call(.time) }
    }

    func origin(line: Int) -> String { "\(fileName) line \(line)" }

    /// The record a row stands for, or why it stands for none.
    func record(from row: CSVRow, raw: String) -> Result<SourceRecord, Problem> {
        if let expected = expectedFieldCount, row.fields.count != expected {
            return .failure(Problem(reason: "wrong column count: \(row.fields.count) field\(row.fields.count == 1 ? "" : "s"), the header has \(expected)"))
        }
        if row.fields.count <= highestIndex {
            return .failure(Problem(reason: "too few columns: \(row.fields.count), but column \(highestIndex + 1) is mapped"))
        }
        var fields: [CanonicalField: String] = [:]
        var customerKey: String?
        var call: [CallAttribute: String] = [:]
        for column in columns {
            let value: String
            do {
                value = try decoder.decode(row.fields[column.index]).trimmingWhitespace()
            } catch {
                return .failure(Problem(reason: "\(column.label): \(error)"))
            }
            guard !value.isEmpty else { continue }
            switch column.target {
            case .customer(let field): fields[field] = value
            case .key: customerKey = value
            case .call(let attribute): call[attribute] = value
            }
        }
        guard !fields.isEmpty || customerKey != nil || !call.isEmpty else {
            return .failure(Problem(reason: "row has no value in any mapped column"))
        }
        guard customerKey != nil || fields[.phone] != nil || fields[.email] != nil || fields[.name] != nil else {
            let identifying = columns.filter { [.customer(.phone), .customer(.email), .customer(.name), .key].contains($0.target) }
            return .failure(Problem(reason: "no customer to attach the call to: \(identifying.map(\.label).joined(separator: ", ")) empty"))
        }
        let at: Date
        if let text = call[.time] {
            guard let parsed = times.parse(text) else {
                let label = columns.first { $0.target == .call(.time) }?.label ?? "call.time"
                return .failure(Problem(reason: "\(label): \"\(text)\" is not a valid date and time (\(times.expectation))"))
            }
            at = parsed
        } else if mapsTime {
            let label = columns.first { $0.target == .call(.time) }?.label ?? "call.time"
            return .failure(Problem(reason: "\(label) is empty (every call needs its time)"))
        } else {
            at = fileModified
        }
        let rowKey = "\(contentKey):\(row.line)"
        var details: [String: String] = ["file": fileName, "line": String(row.line)]
        for attribute in [CallAttribute.agent, .duration, .direction] {
            if let value = call[attribute] { details[attribute.rawValue] = value }
        }
        let interaction = Interaction(kind: .call, key: call[.id] ?? rowKey, occurredAt: at,
                                      summary: call[.notes], status: call[.disposition], details: details)
        return .success(SourceRecord(key: customerKey ?? rowKey, observedAt: at, fields: fields,
                                     interaction: interaction, origin: origin(line: row.line), raw: raw,
                                     rawLayout: layout))
    }
}
