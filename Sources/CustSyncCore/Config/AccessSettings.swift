import Foundation

/// The `[Access]` section: the Unix groups whose members may read, operate and administer.
public struct AccessSettings: Sendable, Equatable {
    public var readerGroup: String
    public var operatorGroup: String
    public var adminGroup: String

    public init(readerGroup: String = "custsync-read",
                operatorGroup: String = "custsync-operator",
                adminGroup: String = "custsync-admin") {
        self.readerGroup = readerGroup
        self.operatorGroup = operatorGroup
        self.adminGroup = adminGroup
    }

    static let keys = ["ReaderGroup", "OperatorGroup", "AdminGroup"]

    /// A Unix group name: a letter or `_`, then letters, digits, `_ . -`, at most 32 characters.
    public static func groupName(_ text: String) throws(ConfigValueError) -> String {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let valid = !trimmed.isEmpty && trimmed.count <= 32
            && trimmed.first.map { $0.isASCII && ($0.isLetter || $0 == "_") } == true
            && trimmed.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "_.-".contains($0)) }
        guard valid else {
            throw ConfigValueError("\"\(text)\" is not a group name (use a letter, then letters, digits, _ . or -, at most 32 characters, e.g. custsync-read)")
        }
        return trimmed
    }

    static func read(_ reader: inout IniSectionReader) -> AccessSettings {
        var settings = AccessSettings()
        if let group = reader.value("ReaderGroup", groupName) { settings.readerGroup = group }
        if let group = reader.value("OperatorGroup", groupName) { settings.operatorGroup = group }
        if let group = reader.value("AdminGroup", groupName) { settings.adminGroup = group }
        return settings
    }
}
