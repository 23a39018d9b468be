/// The `[Tiers]` section: how recency, frequency and monetary value are scored 1–5, and which
/// tier a total score earns.
public struct TierSettings: Sendable, Equatable {
    public enum Scoring: String, Sendable, Equatable { case quintiles, thresholds }

    public var scoring: Scoring = .quintiles
    /// Orders in other currencies are counted but not summed into the monetary value.
    public var currency = "CNY"
    /// Days since the last order at which recency drops from 5 to 4, 4 to 3, 3 to 2, 2 to 1.
    public var recencyDays: [Double] = [30, 90, 180, 365]
    /// Order counts from which frequency reaches 2, 3, 4, 5.
    public var frequencyOrders: [Double] = [2, 3, 5, 10]
    /// Amounts from which monetary value reaches 2, 3, 4, 5.
    public var monetaryAmounts: [Double] = [200, 1_000, 5_000, 20_000]
    /// Tiers from best to worst with the least R+F+M score each; customers without orders get
    /// the last one.
    public var tiers: [(name: String, minimum: Int)] = [("vip", 12), ("regular", 7), ("potential", 0)]

    public init() {}

    public static func == (a: TierSettings, b: TierSettings) -> Bool {
        a.scoring == b.scoring && a.currency == b.currency && a.recencyDays == b.recencyDays
            && a.frequencyOrders == b.frequencyOrders && a.monetaryAmounts == b.monetaryAmounts
            && a.tiers.map(\.name) == b.tiers.map(\.name) && a.tiers.map(\.minimum) == b.tiers.map(\.minimum)
    }

    static let keys = ["Scoring", "Currency", "RecencyDays", "FrequencyOrders", "MonetaryAmounts", "Tiers"]

    static func read(_ reader: inout IniSectionReader) -> TierSettings {
        var settings = TierSettings()
        if let v = reader.value("Scoring", { text throws(ConfigValueError) in
            try ConfigValueParser.choice(text, of: ["quintiles", "thresholds"], what: "scoring method")
        }) { settings.scoring = Scoring(rawValue: v) ?? .quintiles }
        if let v = reader.value("Currency", { text throws(ConfigValueError) -> String in
            let code = text.trimmingCharacters(in: .whitespaces).uppercased()
            guard code.count == 3, code.allSatisfy({ $0.isASCII && $0.isLetter }) else {
                throw ConfigValueError("\"\(text)\" is not an ISO 4217 currency code (use e.g. CNY, EUR, USD)")
            }
            return code
        }) { settings.currency = v }
        if let v = reader.value("RecencyDays", boundaries) { settings.recencyDays = v }
        if let v = reader.value("FrequencyOrders", boundaries) { settings.frequencyOrders = v }
        if let v = reader.value("MonetaryAmounts", boundaries) { settings.monetaryAmounts = v }
        if let v = reader.value("Tiers", tiers) { settings.tiers = v }
        return settings
    }

    /// Four ascending numbers, e.g. `30 90 180 365`.
    static func boundaries(_ text: String) throws(ConfigValueError) -> [Double] {
        let numbers = try ConfigValueParser.words(text).map { word throws(ConfigValueError) -> Double in
            guard let n = Double(word), n >= 0 else { throw ConfigValueError("\"\(word)\" is not a number") }
            return n
        }
        guard numbers.count == 4, zip(numbers, numbers.dropFirst()).allSatisfy({ $0 < $1 }) else {
            throw ConfigValueError("\"\(text)\" must be four ascending numbers, the boundaries between scores 1–5 (e.g. 30 90 180 365)")
        }
        return numbers
    }

    /// `name:minimum` pairs, best first, e.g. `vip:12 regular:7 potential:0`.
    static func tiers(_ text: String) throws(ConfigValueError) -> [(name: String, minimum: Int)] {
        var result: [(name: String, minimum: Int)] = []
        for word in try ConfigValueParser.words(text) {
            let parts = word.split(separator: ":")
            guard parts.count == 2, let minimum = Int(parts[1]), (0...15).contains(minimum), !parts[0].isEmpty else {
                throw ConfigValueError("\"\(word)\" is not a tier (write name:minimum with a minimum R+F+M score of 0–15, e.g. vip:12)")
            }
            result.append((String(parts[0]), minimum))
        }
        guard !result.isEmpty, zip(result, result.dropFirst()).allSatisfy({ $0.minimum > $1.minimum }) else {
            throw ConfigValueError("tiers must be listed best first with falling minimums (e.g. vip:12 regular:7 potential:0)")
        }
        return result
    }
}
