/// One problem found in a configuration file, positioned at the file, line and key it concerns.
///
/// `description` reads like a compiler diagnostic, e.g.
/// `etc/custsyncd.conf:12: Interval: "5 parsecs" is not a duration (use e.g. 30s, 5min, 1h)`.
/// Every message says what is wrong and what to do about it.
public struct ConfigError: Error, Sendable, Equatable, Hashable, CustomStringConvertible {
    /// The file as the user named it (or as derived from the main file's path).
    public var file: String
    /// 1-based line number, when the problem belongs to a line.
    public var line: Int?
    /// The key the problem concerns, when it concerns one.
    public var key: String?
    /// What is wrong and what to do.
    public var message: String

    public init(file: String, line: Int? = nil, key: String? = nil, message: String) {
        self.file = file
        self.line = line
        self.key = key
        self.message = message
    }

    public var description: String {
        var text = file
        if let line { text += ":\(line)" }
        text += ": "
        if let key { text += "\(key): " }
        return text + message
    }
}
