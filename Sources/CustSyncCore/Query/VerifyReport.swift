import Foundation

/// The answer to `syncctl verify`: SQLite's integrity check and custsync's own invariants.
public struct VerifyReport: Codable, Sendable {
    public struct Check: Codable, Sendable {
        /// `integrity`, `journal-gapless`, `identifiers-live`, …
        public var name: String
        /// What the check asserts, for people.
        public var description: String
        public var ok: Bool
        /// How many problems were found; `problems` holds at most the first 20.
        public var problemCount: Int
        public var problems: [String]

        public init(name: String, description: String, problems: [String], total: Int? = nil) {
            self.name = name
            self.description = description
            self.problemCount = total ?? problems.count
            self.problems = Array(problems.prefix(20))
            self.ok = problemCount == 0
        }
    }

    public var ok: Bool
    public var store: String
    public var checkedAt: Date
    public var checks: [Check]

    public init(store: String, checkedAt: Date, checks: [Check]) {
        self.store = store
        self.checkedAt = checkedAt
        self.checks = checks
        self.ok = checks.allSatisfy(\.ok)
    }

    /// A copy whose problems have personal data masked: `identifiers-live` names the e-mail
    /// addresses and phone numbers it found dangling.
    public func masked(_ apply: Bool = true) -> VerifyReport {
        guard apply else { return self }
        var copy = self
        for index in copy.checks.indices {
            copy.checks[index].problems = checks[index].problems.map(PersonalDataMask.freeText)
        }
        return copy
    }
}
