import Foundation

/// One customer as `syncctl customer show` presents it: the current value of each canonical
/// field with the source and rule behind it, identifiers, lifecycle stage and tier, tags, the
/// newest interactions and the open conflicts. Its JSON form is the documented contract.
///
/// Later issues add to it (RFM scores, aliases of merged codes); new members are optional so
/// the contract only grows.
public struct CustomerView: Codable, Sendable {
    /// A canonical field's current value and its provenance (`field_values.chosen_by`).
    public struct FieldValue: Codable, Sendable {
        public var field: String
        public var value: String
        /// The connector whose assertion is current; nil when the store has no provenance for it.
        public var source: String?
        /// The rule that chose it (`first-value`, `newest`, `source-priority`, …).
        public var rule: String?
        public var observedAt: Date?

        public init(field: String, value: String, source: String?, rule: String?, observedAt: Date?) {
            self.field = field
            self.value = value
            self.source = source
            self.rule = rule
            self.observedAt = observedAt
        }
    }

    public struct Identifier: Codable, Sendable {
        public var kind: String
        public var value: String
        public var source: String
        public var firstSeen: Date

        public init(kind: String, value: String, source: String, firstSeen: Date) {
            self.kind = kind
            self.value = value
            self.source = source
            self.firstSeen = firstSeen
        }
    }

    public struct InteractionSummary: Codable, Sendable {
        public var kind: String
        public var source: String
        public var key: String
        public var occurredAt: Date
        public var summary: String?
        public var status: String?
        public var amount: Double?
        public var currency: String?

        public init(kind: String, source: String, key: String, occurredAt: Date, summary: String?,
                    status: String?, amount: Double?, currency: String?) {
            self.kind = kind
            self.source = source
            self.key = key
            self.occurredAt = occurredAt
            self.summary = summary
            self.status = status
            self.amount = amount
            self.currency = currency
        }
    }

    public var code: String
    /// The code that was asked for when it had been merged into `code`.
    public var mergedFrom: String?
    public var stage: String
    public var tier: String?
    /// Recency, frequency and monetary scores 1–5; absent for customers without orders.
    public var rfm: RFMScore?
    /// Codes merged into this customer; each still resolves here.
    public var aliases: [String] = []
    public var createdAt: Date
    public var updatedAt: Date
    public var version: Int64
    public var fields: [FieldValue]
    public var identifiers: [Identifier]
    public var tags: [String]
    /// The newest interactions, newest first; `interactionCount` says how many there are in all.
    public var interactions: [InteractionSummary]
    public var interactionCount: Int64
    public var openConflicts: [ConflictView]
    /// True when personal data was masked for the caller's role.
    public var masked: Bool

    public init(code: String, stage: String, createdAt: Date, updatedAt: Date, version: Int64) {
        self.code = code
        self.stage = stage
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.version = version
        fields = []
        identifiers = []
        tags = []
        interactions = []
        interactionCount = 0
        openConflicts = []
        masked = false
    }

    /// A copy with personal data masked (see `PersonalDataMask`).
    public func masked(_ apply: Bool = true) -> CustomerView {
        guard apply else { return self }
        var copy = self
        copy.masked = true
        copy.fields = fields.map { field in
            var f = field
            f.value = PersonalDataMask.value(field.value, field: field.field)
            return f
        }
        copy.identifiers = identifiers.map { identifier in
            var i = identifier
            i.value = PersonalDataMask.value(identifier.value, field: identifier.kind)
            return i
        }
        copy.interactions = interactions.map { interaction in
            var i = interaction
            i.key = PersonalDataMask.freeText(interaction.key)
            i.summary = interaction.summary.map(PersonalDataMask.freeText)
            return i
        }
        copy.openConflicts = openConflicts.map { $0.masked() }
        return copy
    }
}
