import Foundation

/// What a configuration file may contain: for each section, whether it takes an argument and
/// which keys it knows. Adding a section is adding a row here and a reader for it.
struct SectionSchema: Sendable {
    enum Argument: Sendable {
        case none
        /// Required; the associated text describes it, e.g. "a field name, e.g. [Field email]".
        case required(String)
    }

    let name: String
    let argument: Argument
    /// `nil` means free-form keys (e.g. [Mapping]) that are not checked here.
    let keys: [String]?

    var header: String {
        switch argument {
        case .none: return "[\(name)]"
        case .required: return "[\(name) NAME]"
        }
    }

    static let mainFile: [SectionSchema] = [
        SectionSchema(name: "Daemon", argument: .none, keys: DaemonSettings.keys),
        SectionSchema(name: "Access", argument: .none, keys: AccessSettings.keys),
        SectionSchema(name: "Identity", argument: .none, keys: IdentitySettings.keys),
        SectionSchema(name: "Codes", argument: .none, keys: CodeSettings.keys),
        SectionSchema(name: "Backup", argument: .none, keys: BackupSettings.keys),
        SectionSchema(name: "Field", argument: .required("a field name, e.g. [Field email]"), keys: FieldRule.keys),
        SectionSchema(name: "Lifecycle", argument: .none, keys: LifecycleSettings.keys),
        SectionSchema(name: "Tiers", argument: .none, keys: TierSettings.keys),
        SectionSchema(name: "Tag", argument: .required("a tag name, e.g. [Tag price-sensitive]"), keys: TagRule.keys),
    ]

    static let connectorFile: [SectionSchema] = [
        SectionSchema(name: "Connector", argument: .none, keys: ConnectorConfiguration.keys),
        SectionSchema(name: "Exec", argument: .none, keys: ExecSettings.keys),
        SectionSchema(name: "Mapping", argument: .none, keys: nil),
        // Kind-specific sections, parsed by their connector kinds from `ConnectorConfiguration.sections`.
        SectionSchema(name: "CSV", argument: .none, keys: CSVDropSettings.keys),
        SectionSchema(name: "Feed", argument: .none, keys: FeedSettings.keys),
        SectionSchema(name: "IMAP", argument: .none, keys: IMAPSettings.keys),
    ]

    /// Checks `document` against `schemas`: unknown sections, argument mismatches and unknown
    /// keys become errors. Returns the acceptable sections merged by (name, argument) in order
    /// of first appearance; a merged section keeps the first header's line.
    static func check(_ document: IniDocument, against schemas: [SectionSchema],
                      errors: inout [ConfigError]) -> [IniSection] {
        var merged: [IniSection] = []
        for section in document.sections {
            func fail(_ message: String) {
                errors.append(ConfigError(file: document.file, line: section.line, message: message))
            }
            guard let schema = schemas.first(where: { $0.name == section.name }) else {
                var message = "unknown section \(section.header) (valid sections: \(schemas.map(\.header).joined(separator: ", "))"
                if let close = ConfigValueParser.closest(to: section.name, among: schemas.map(\.name)) {
                    message += "; did you mean [\(close)]?"
                }
                fail(message + ")")
                continue
            }
            switch schema.argument {
            case .none where section.argument != nil:
                fail("section \(section.header) takes no argument (write [\(section.name)])")
                continue
            case .required(let what) where (section.argument ?? "").isEmpty:
                fail("section [\(section.name)] needs \(what)")
                continue
            default:
                break
            }
            if let keys = schema.keys {
                for entry in section.entries where !keys.contains(entry.key) {
                    var message = "unknown key in [\(section.name)] (valid keys: \(keys.joined(separator: ", "))"
                    if let close = ConfigValueParser.closest(to: entry.key, among: keys) {
                        message += "; did you mean \(close)?"
                    }
                    errors.append(ConfigError(file: document.file, line: entry.line, key: entry.key, message: message + ")"))
                }
            }
            if let index = merged.firstIndex(where: { $0.name == section.name && $0.argument == section.argument }) {
                merged[index].entries += section.entries
            } else {
                merged.append(section)
            }
        }
        return merged
    }
}
