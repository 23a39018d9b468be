/// The `[Lifecycle]` section: the day counts that move a customer between stages.
public struct LifecycleSettings: Sendable, Equatable {
    public var newDays = 30
    public var activeDays = 90
    public var loyalOrders = 3
    public var loyalWindowDays = 365
    public var dormantDays = 180
    public var churnedDays = 365

    public init() {}

    static let keys = ["NewDays", "ActiveDays", "LoyalOrders", "LoyalWindowDays", "DormantDays", "ChurnedDays"]

    static func read(_ reader: inout IniSectionReader) -> LifecycleSettings {
        var settings = LifecycleSettings()
        let days: (String) throws(ConfigValueError) -> Int = { text throws(ConfigValueError) in
            try ConfigValueParser.positiveInteger(text, in: 1...36_500)
        }
        if let v = reader.value("NewDays", days) { settings.newDays = v }
        if let v = reader.value("ActiveDays", days) { settings.activeDays = v }
        if let v = reader.value("LoyalOrders", { text throws(ConfigValueError) in try ConfigValueParser.positiveInteger(text, in: 1...10_000) }) {
            settings.loyalOrders = v
        }
        if let v = reader.value("LoyalWindowDays", days) { settings.loyalWindowDays = v }
        if let v = reader.value("DormantDays", days) { settings.dormantDays = v }
        if let v = reader.value("ChurnedDays", days) { settings.churnedDays = v }
        if settings.churnedDays <= settings.dormantDays {
            let key = reader.last("ChurnedDays") != nil ? "ChurnedDays" : "DormantDays"
            reader.report("ChurnedDays=\(settings.churnedDays) must be longer than DormantDays=\(settings.dormantDays) (a customer is dormant before churned)",
                          key: key, line: reader.line(of: key))
        }
        return settings
    }
}
