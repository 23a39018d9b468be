/// A `[Tag NAME]` section: the tag is on every customer for whom all its conditions hold.
/// A condition is `METRIC OP VALUE`, e.g. `orders >= 3`, `avg_order < 100`, `region = 北京`.
public struct TagRule: Sendable, Equatable {
    public struct Condition: Sendable, Equatable, CustomStringConvertible {
        public enum Operator: String, Sendable, CaseIterable { case ge = ">=", le = "<=", ne = "!=", eq = "=", gt = ">", lt = "<" }
        public var metric: String
        public var op: Operator
        public var value: String
        public var description: String { "\(metric) \(op.rawValue) \(value)" }
    }

    public var name: String
    public var conditions: [Condition]

    static let keys = ["Condition"]

    /// Metrics a condition may name (see `CustomerMetrics`).
    public static let metrics = ["orders", "total_spent", "avg_order", "days_since_last_order",
                                 "days_since_last_interaction", "calls", "emails", "r", "f", "m", "rfm",
                                 "stage", "tier"] + CanonicalField.allCases.map(\.rawValue)

    static func condition(_ text: String) throws(ConfigValueError) -> Condition {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        for op in Condition.Operator.allCases {
            guard let range = trimmed.range(of: op.rawValue) else { continue }
            let metric = trimmed[..<range.lowerBound].trimmingCharacters(in: .whitespaces)
            let value = trimmed[range.upperBound...].trimmingCharacters(in: .whitespaces)
            guard metrics.contains(metric) else {
                throw ConfigValueError("unknown metric \"\(metric)\" (use one of \(metrics.joined(separator: ", ")))")
            }
            guard !value.isEmpty else { throw ConfigValueError("condition \"\(text)\" has no value") }
            return Condition(metric: metric, op: op, value: value)
        }
        throw ConfigValueError("\"\(text)\" is not a condition (write METRIC OP VALUE, e.g. orders >= 3; OP is one of = != < <= > >=)")
    }

    /// The rule, or nil when the section has no valid condition (errors are in `reader`).
    static func read(name: String, _ reader: inout IniSectionReader) -> TagRule? {
        let conditions = reader.list("Condition") { text throws(ConfigValueError) in [try condition(text)] }
        return conditions.isEmpty ? nil : TagRule(name: name, conditions: conditions)
    }
}
