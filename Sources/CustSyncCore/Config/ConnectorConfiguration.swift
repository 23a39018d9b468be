import Foundation

/// One connector, from one file in the connectors directory.
public struct ConnectorConfiguration: Sendable, Equatable {
    /// `[Mapping]` settings in file order: a source column or path and the target it feeds.
    public typealias Mapping = [(source: String, target: String, line: Int)]

    public static let defaultInterval: TimeInterval = 60
    public static let defaultTimeout: TimeInterval = 300
    public static let defaultBackoff: TimeInterval = 5
    public static let defaultBackoffMax: TimeInterval = 900

    public var name: String
    public var kind: ConnectorKind
    public var enabled: Bool
    /// Time between runs.
    public var interval: TimeInterval
    /// Up to this much random delay added to each run.
    public var jitter: TimeInterval
    /// A run taking longer than this is cancelled.
    public var timeout: TimeInterval
    /// First delay after a failed run; doubles on each further failure up to `backoffMax`.
    public var backoff: TimeInterval
    public var backoffMax: TimeInterval
    /// Records per transaction.
    public var batchSize: Int
    /// `[Exec]`, for `exec` connectors only.
    public var exec: ExecSettings?
    /// `[Feed]` with its checked `[Mapping]`, for `order-feed` connectors only.
    public var feed: FeedSettings?
    /// `[CSV]` with its checked `[Mapping]`, for `csv-drop` connectors only.
    public var csv: CSVDropSettings?
    /// `[IMAP]`, for `imap` connectors only.
    public var imap: IMAPSettings?
    public var mapping: Mapping
    /// Every section of the file as written (not merged), for kind-specific parsing
    /// (`[CSV]`, `[Feed]`, `[IMAP]`); see `section(named:)`.
    public var sections: [IniSection]
    /// The file as named in errors.
    public var file: String
    /// The absolute directory of the file: relative paths in it resolve against this.
    public var directory: String

    public init(name: String, kind: ConnectorKind, enabled: Bool = true,
                interval: TimeInterval = ConnectorConfiguration.defaultInterval, jitter: TimeInterval = 0,
                timeout: TimeInterval = ConnectorConfiguration.defaultTimeout,
                backoff: TimeInterval = ConnectorConfiguration.defaultBackoff,
                backoffMax: TimeInterval = ConnectorConfiguration.defaultBackoffMax,
                batchSize: Int = 1000, exec: ExecSettings? = nil, feed: FeedSettings? = nil,
                csv: CSVDropSettings? = nil, imap: IMAPSettings? = nil, mapping: Mapping = [],
                sections: [IniSection] = [], file: String = "", directory: String = "/") {
        self.name = name
        self.kind = kind
        self.enabled = enabled
        self.interval = interval
        self.jitter = jitter
        self.timeout = timeout
        self.backoff = backoff
        self.backoffMax = backoffMax
        self.batchSize = batchSize
        self.exec = exec
        self.feed = feed
        self.csv = csv
        self.imap = imap
        self.mapping = mapping
        self.sections = sections
        self.file = file
        self.directory = directory
    }

    /// All sections called `name`, merged in file order (entries concatenated, the first
    /// header's line), or `nil` if the file has none. Read it with `IniSectionReader`.
    public func section(named name: String) -> IniSection? {
        let matching = sections.filter { $0.name == name }
        guard var merged = matching.first else { return nil }
        merged.entries = matching.flatMap(\.entries)
        return merged
    }

    /// Resolves a path written in this connector's file against its directory.
    public func resolvePath(_ path: String) -> String {
        ConfigValueParser.resolve(path, relativeTo: directory)
    }

    public static func == (lhs: ConnectorConfiguration, rhs: ConnectorConfiguration) -> Bool {
        lhs.name == rhs.name && lhs.kind == rhs.kind && lhs.enabled == rhs.enabled
            && lhs.interval == rhs.interval && lhs.jitter == rhs.jitter && lhs.timeout == rhs.timeout
            && lhs.backoff == rhs.backoff && lhs.backoffMax == rhs.backoffMax && lhs.batchSize == rhs.batchSize
            && lhs.exec == rhs.exec && lhs.feed == rhs.feed && lhs.csv == rhs.csv && lhs.imap == rhs.imap && lhs.sections == rhs.sections && lhs.file == rhs.file
            && lhs.directory == rhs.directory
            && lhs.mapping.count == rhs.mapping.count
            && zip(lhs.mapping, rhs.mapping).allSatisfy { $0 == $1 }
    }

    static let keys = ["Name", "Kind", "Enabled", "Interval", "Jitter", "Timeout", "Backoff", "BackoffMax", "BatchSize"]

    /// `[a-z0-9][a-z0-9_-]{0,62}`.
    public static func connectorName(_ text: String) throws(ConfigValueError) -> String {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        func allowed(_ character: Character) -> Bool {
            character.isASCII && (character.isLowercase || character.isNumber)
        }
        let valid = (1...63).contains(trimmed.count)
            && trimmed.first.map(allowed) == true
            && trimmed.allSatisfy { allowed($0) || $0 == "_" || $0 == "-" }
        guard valid else {
            throw ConfigValueError("\"\(text)\" is not a connector name (use 1 to 63 lower-case letters, digits, _ and -, starting with a letter or digit, e.g. crm or shop-orders)")
        }
        return trimmed
    }

    /// The outcome of reading one connector file.
    struct ReadResult {
        /// `nil` when the file has errors.
        var configuration: ConnectorConfiguration?
        /// The connector's name when it is valid, even if other settings are not, so that
        /// duplicates and references can still be checked.
        var name: String?
        var nameLine: Int?
        var errors: [ConfigError]
    }

    /// Reads a parsed connector file. `directory` is the file's absolute directory.
    static func read(_ document: IniDocument, directory: String, defaultBatchSize: Int,
                     spoolDirectory: String = DaemonSettings.defaultSpoolDirectory) -> ReadResult {
        var errors: [ConfigError] = []
        let merged = SectionSchema.check(document, against: SectionSchema.connectorFile, errors: &errors)
        func section(_ name: String) -> IniSection? { merged.first { $0.name == name } }

        guard let connectorSection = section("Connector") else {
            if document.sections(named: "Connector").isEmpty {
                errors.append(ConfigError(file: document.file, message: "has no [Connector] section (each file here describes one connector: add [Connector] with Name= and Kind=)"))
            }
            return ReadResult(configuration: nil, name: nil, nameLine: nil, errors: errors)
        }
        var reader = IniSectionReader(file: document.file, section: connectorSection)
        let name = reader.value("Name", connectorName)
        if reader.last("Name") == nil {
            reader.report("missing Name= (every connector needs a unique name, e.g. Name=crm)", key: "Name", line: connectorSection.line)
        }
        let kindName = reader.value("Kind") { text throws(ConfigValueError) in
            try ConfigValueParser.choice(text, of: ConnectorKind.allCases.map(\.rawValue), what: "connector kind")
        }
        if reader.last("Kind") == nil {
            reader.report("missing Kind= (use one of \(ConnectorKind.allCases.map(\.rawValue).joined(separator: ", ")))",
                          key: "Kind", line: connectorSection.line)
        }
        let kind = kindName.flatMap(ConnectorKind.init(rawValue:))
        let enabled = reader.value("Enabled", ConfigValueParser.bool) ?? true

        func duration(_ key: String, default value: TimeInterval, allowZero: Bool = false) -> TimeInterval {
            guard let parsed = reader.value(key, ConfigValueParser.duration) else { return value }
            if parsed <= 0 && !allowZero {
                reader.report("must be longer than 0 (use e.g. \(ConfigValueParser.formatDuration(value)))", key: key, line: reader.line(of: key))
                return value
            }
            return parsed
        }
        let interval = duration("Interval", default: defaultInterval)
        let jitter = duration("Jitter", default: 0, allowZero: true)
        let timeout = duration("Timeout", default: defaultTimeout)
        let backoff = duration("Backoff", default: defaultBackoff)
        let backoffMax = duration("BackoffMax", default: defaultBackoffMax)
        if backoffMax < backoff {
            let key = reader.last("BackoffMax") != nil ? "BackoffMax" : "Backoff"
            reader.report("BackoffMax \(ConfigValueParser.formatDuration(backoffMax)) is shorter than Backoff \(ConfigValueParser.formatDuration(backoff)) (BackoffMax is the longest delay between retries: make it at least Backoff)",
                          key: key, line: reader.line(of: key))
        }
        let batchSize = reader.value("BatchSize") { text throws(ConfigValueError) in
            try ConfigValueParser.positiveInteger(text, in: DaemonSettings.batchSizeRange)
        } ?? defaultBatchSize
        errors += reader.errors

        var exec: ExecSettings?
        if let execSection = section("Exec") {
            if let kind, kind != .exec {
                errors.append(ConfigError(file: document.file, line: execSection.line,
                                          message: "[Exec] is only for Kind=exec, but this connector is Kind=\(kind.rawValue) (remove [Exec], or set Kind=exec)"))
            } else {
                var execReader = IniSectionReader(file: document.file, section: execSection)
                exec = ExecSettings.read(&execReader, directory: directory)
                errors += execReader.errors
            }
        } else if kind == .exec {
            errors.append(ConfigError(file: document.file, line: connectorSection.line, key: "Kind",
                                      message: "Kind=exec needs an [Exec] section (add [Exec] with Command=, the program to run)"))
        }

        let mapping: Mapping = merged.filter { $0.name == "Mapping" }
            .flatMap(\.entries)
            .map { (source: $0.key, target: $0.value, line: $0.line) }

        var feed: FeedSettings?
        if let feedSection = section("Feed") {
            if let kind, kind != .orderFeed {
                errors.append(ConfigError(file: document.file, line: feedSection.line,
                                          message: "[Feed] is only for Kind=order-feed, but this connector is Kind=\(kind.rawValue) (remove [Feed], or set Kind=order-feed)"))
            } else {
                var feedReader = IniSectionReader(file: document.file, section: feedSection)
                feed = FeedSettings.read(&feedReader, mapping: mapping, directory: directory)
                errors += feedReader.errors
            }
        } else if kind == .orderFeed {
            errors.append(ConfigError(file: document.file, line: connectorSection.line, key: "Kind",
                                      message: "Kind=order-feed needs a [Feed] section (add [Feed] with URL=, the first page of the feed)"))
        }

        var csv: CSVDropSettings?
        if let csvSection = section("CSV"), let kind, kind != .csvDrop {
            errors.append(ConfigError(file: document.file, line: csvSection.line,
                                      message: "[CSV] is only for Kind=csv-drop, but this connector is Kind=\(kind.rawValue) (remove [CSV], or set Kind=csv-drop)"))
        } else if kind == .csvDrop {
            var csvReader = IniSectionReader(file: document.file, section: section("CSV"))
            csv = CSVDropSettings.read(&csvReader, mapping: mapping, name: name, spoolDirectory: spoolDirectory,
                                       directory: directory)
            errors += csvReader.errors
        }

        var imap: IMAPSettings?
        if let imapSection = section("IMAP"), let kind, kind != .imap {
            errors.append(ConfigError(file: document.file, line: imapSection.line,
                                      message: "[IMAP] is only for Kind=imap, but this connector is Kind=\(kind.rawValue) (remove [IMAP], or set Kind=imap)"))
        } else if kind == .imap {
            if let imapSection = section("IMAP") {
                var imapReader = IniSectionReader(file: document.file, section: imapSection)
                imap = IMAPSettings.read(&imapReader, directory: directory)
                errors += imapReader.errors
            } else {
                errors.append(ConfigError(file: document.file, line: connectorSection.line, key: "Kind",
                                          message: "Kind=imap needs an [IMAP] section (add [IMAP] with Server= and Credential=)"))
            }
        }

        guard errors.isEmpty, let name, let kind else {
            return ReadResult(configuration: nil, name: name, nameLine: reader.last("Name")?.line, errors: errors)
        }
        let configuration = ConnectorConfiguration(
            name: name, kind: kind, enabled: enabled, interval: interval, jitter: jitter, timeout: timeout,
            backoff: backoff, backoffMax: backoffMax, batchSize: batchSize, exec: exec, feed: feed, csv: csv, imap: imap, mapping: mapping,
            sections: document.sections, file: document.file, directory: directory)
        return ReadResult(configuration: configuration, name: name, nameLine: reader.last("Name")?.line, errors: [])
    }
}
