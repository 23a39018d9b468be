import Foundation

/// One rejected input in the quarantine.
///
/// Status: `open` (waits for someone), `retrying` (an operator fixed the upstream and asked the
/// connector to read again), `closed` (the poll after a retry did not reject it again),
/// `superseded` (that poll rejected the same origin again: a new open entry replaces this one),
/// `dismissed` (an operator decided it needs nothing).
public struct QuarantineEntry: Codable, Sendable {
    public var id: Int64
    /// The connector that read it.
    public var source: String
    /// Where it came from (`calls.csv line 42`, `UID 1234`, `page …`).
    public var origin: String
    public var reason: String
    /// The raw input; only in `quarantine show`.
    public var raw: String?
    public var at: Date
    public var status: String
    /// A CSV row's columns with their `[Mapping]` targets; only in the daemon, for masking.
    public var columns: [RawColumn]?

    private enum CodingKeys: String, CodingKey {
        case id, source, origin, reason, raw, at, status
    }

    public init(id: Int64, source: String, origin: String, reason: String, raw: String?, at: Date, status: String,
                columns: [RawColumn]? = nil) {
        self.id = id
        self.source = source
        self.origin = origin
        self.reason = reason
        self.raw = raw
        self.at = at
        self.status = status
        self.columns = columns
    }

    public static let statuses = ["open", "retrying", "closed", "superseded", "dismissed"]

    /// The entry as a caller below admin may see it (unchanged when `apply` is false).
    /// - Parameter fromCSV: the entry comes from a csv-drop connector (or one the daemon no
    ///   longer knows), so a raw input without columns is a CSV row that cannot be masked by field.
    public func masked(_ apply: Bool = true, fromCSV: Bool = false) -> QuarantineEntry {
        guard apply else { return self }
        var copy = self
        copy.origin = PersonalDataMask.freeText(origin)
        copy.reason = PersonalDataMask.freeText(reason)
        copy.raw = raw.map { QuarantinedRawMask.masked($0, columns: columns, id: id, fromCSV: fromCSV) }
        copy.columns = nil
        return copy
    }
}
