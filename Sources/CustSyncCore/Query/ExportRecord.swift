import Foundation

/// One customer as `syncctl export` writes it (one JSON object per line, or one CSV row).
public struct ExportRecord: Codable, Sendable {
    public struct Identifier: Codable, Sendable, Equatable {
        public var kind: String
        public var value: String

        public init(kind: String, value: String) {
            self.kind = kind
            self.value = value
        }
    }

    public var code: String
    public var name: String?
    public var email: String?
    public var phone: String?
    public var address: String?
    public var company: String?
    public var region: String?
    public var customerType: String?
    public var stage: String
    public var tier: String?
    public var createdAt: Date
    public var updatedAt: Date
    public var version: Int64
    public var mergedInto: String?
    public var identifiers: [Identifier]
    public var tags: [String]

    public init(code: String, stage: String, createdAt: Date, updatedAt: Date, version: Int64) {
        self.code = code
        self.stage = stage
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.version = version
        identifiers = []
        tags = []
    }

    /// The CSV columns, in order.
    public static let csvHeader = ["code", "name", "email", "phone", "address", "company", "region", "customer_type",
                                   "stage", "tier", "created_at", "updated_at", "version", "merged_into",
                                   "emails", "phones", "tags"]

    /// The CSV cells, in `csvHeader` order; lists are separated by spaces.
    public var csvCells: [String] {
        [code, name ?? "", email ?? "", phone ?? "", address ?? "", company ?? "", region ?? "", customerType ?? "",
         stage, tier ?? "", ISO8601.string(createdAt), ISO8601.string(updatedAt), String(version), mergedInto ?? "",
         identifiers.filter { $0.kind == "email" }.map(\.value).joined(separator: " "),
         identifiers.filter { $0.kind == "phone" }.map(\.value).joined(separator: " "),
         tags.joined(separator: " ")]
    }
}
