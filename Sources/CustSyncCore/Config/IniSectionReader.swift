import Foundation

/// Reads typed values from one (merged) section with systemd semantics and collects errors
/// positioned at file, line and key.
///
/// - Single-valued keys: the last setting wins; an empty value (`Key=`) resets to the default.
/// - List-valued keys: settings append; an empty value clears what came before.
///
/// Later connector kinds use it for their own sections:
/// ```
/// var reader = IniSectionReader(file: connector.file, section: connector.section(named: "CSV"))
/// let delimiter = reader.value("Delimiter") { text throws(ConfigValueError) in … }
/// ```
public struct IniSectionReader: Sendable {
    public let file: String
    public let section: IniSection?
    public private(set) var errors: [ConfigError] = []

    public init(file: String, section: IniSection?) {
        self.file = file
        self.section = section
    }

    /// The effective setting of a single-valued key, or `nil` when absent or reset.
    public func last(_ key: String) -> IniEntry? {
        guard let entry = section?.entries.last(where: { $0.key == key }), !entry.value.isEmpty else { return nil }
        return entry
    }

    /// The effective settings of a list-valued key: those after the last empty one.
    public func all(_ key: String) -> [IniEntry] {
        let entries = section?.entries.filter { $0.key == key } ?? []
        if let reset = entries.lastIndex(where: { $0.value.isEmpty }) {
            return Array(entries[(reset + 1)...])
        }
        return entries
    }

    /// The line to blame for `key`: its effective setting, else the section header.
    public func line(of key: String) -> Int? {
        last(key)?.line ?? section?.line
    }

    /// Parses the effective value of a single-valued key; `nil` when absent, reset or invalid
    /// (an invalid value is recorded as an error).
    public mutating func value<T>(_ key: String, _ parse: (String) throws(ConfigValueError) -> T) -> T? {
        guard let entry = last(key) else { return nil }
        do {
            return try parse(entry.value)
        } catch {
            report(error.message, key: key, line: entry.line)
            return nil
        }
    }

    /// Parses every effective setting of a list-valued key and concatenates the results.
    public mutating func list<T>(_ key: String, _ parse: (String) throws(ConfigValueError) -> [T]) -> [T] {
        var result: [T] = []
        for entry in all(key) {
            do {
                result += try parse(entry.value)
            } catch {
                report(error.message, key: key, line: entry.line)
            }
        }
        return result
    }

    /// Records an error in this file.
    public mutating func report(_ message: String, key: String? = nil, line: Int? = nil) {
        errors.append(ConfigError(file: file, line: line, key: key, message: message))
    }
}
