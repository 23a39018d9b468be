import Foundation

/// One row of `syncctl customers`: the current values, no provenance.
public struct CustomerSummary: Codable, Sendable {
    public var code: String
    public var name: String?
    public var email: String?
    public var phone: String?
    public var company: String?
    public var region: String?
    public var customerType: String?
    public var stage: String
    public var tier: String?
    public var updatedAt: Date
    /// Set for a merged customer (only listed with `--include-merged`).
    public var mergedInto: String?

    public init(code: String, stage: String, updatedAt: Date) {
        self.code = code
        self.stage = stage
        self.updatedAt = updatedAt
    }

    public func masked(_ apply: Bool = true) -> CustomerSummary {
        guard apply else { return self }
        var copy = self
        copy.email = email.map(PersonalDataMask.email)
        copy.phone = phone.map(PersonalDataMask.phone)
        return copy
    }
}
