import Foundation

/// The `[CSV]` section of a `csv-drop` connector, with its checked `[Mapping]`.
///
/// The connector watches `<Directory>/incoming/` and keeps `processing/`, `archive/` and
/// `rejected/` beside it. Sizes take an optional K, M or G suffix (powers of 1024).
public struct CSVDropSettings: Sendable, Equatable {
    public static let defaultMaxLineLength = CSVDialect.defaultMaxRecordLength
    public static let defaultMaxFileSize: Int64 = 1 << 30
    public static let defaultSettleTime: TimeInterval = 1
    public static let defaultRescanInterval: TimeInterval = 30
    public static let defaultArchiveDays = 30
    /// Names skipped besides hidden ones (`.*`, always skipped) unless `IgnorePatterns=` is set.
    public static let defaultIgnorePatterns = ["*.tmp", "*.part"]

    /// The connector's folder (absolute): `incoming/`, `processing/`, `archive/`, `rejected/`.
    public var directory: String
    public var encoding: TextEncoding
    /// The field separator byte (ASCII).
    public var delimiter: UInt8
    /// The first row names the columns; with `Header=no` columns are mapped by number.
    public var header: Bool
    /// Longest accepted record in bytes; longer ones are rejected (and bound memory).
    public var maxLineLength: Int
    /// Larger files are rejected whole, unread.
    public var maxFileSize: Int64
    /// How long a file's size and mtime must stay unchanged before it is taken.
    public var settleTime: TimeInterval
    /// How often `incoming/` is listed in full, besides inotify (missed events, network mounts).
    public var rescanInterval: TimeInterval
    /// With e.g. `.done`, `data.csv` is only taken once `data.csv.done` exists; `nil`: off.
    public var markerSuffix: String?
    /// Shell patterns (fnmatch) of names to leave alone; hidden names are always left alone.
    public var ignorePatterns: [String]
    /// Days an archived file is kept; 0 keeps them forever.
    public var archiveDays: Int
    public var timeFormat: CallTimeFormat
    /// Zone of `call.time` values written without an offset.
    public var timeZone: TimeZone
    public var columns: [CSVColumnMapping]

    public init(directory: String, encoding: TextEncoding = .auto, delimiter: UInt8 = UInt8(ascii: ","),
                header: Bool = true, maxLineLength: Int = CSVDropSettings.defaultMaxLineLength,
                maxFileSize: Int64 = CSVDropSettings.defaultMaxFileSize,
                settleTime: TimeInterval = CSVDropSettings.defaultSettleTime,
                rescanInterval: TimeInterval = CSVDropSettings.defaultRescanInterval,
                markerSuffix: String? = nil, ignorePatterns: [String] = CSVDropSettings.defaultIgnorePatterns,
                archiveDays: Int = CSVDropSettings.defaultArchiveDays, timeFormat: CallTimeFormat = .auto,
                timeZone: TimeZone = .current, columns: [CSVColumnMapping] = []) {
        self.directory = directory
        self.encoding = encoding
        self.delimiter = delimiter
        self.header = header
        self.maxLineLength = maxLineLength
        self.maxFileSize = maxFileSize
        self.settleTime = settleTime
        self.rescanInterval = rescanInterval
        self.markerSuffix = markerSuffix
        self.ignorePatterns = ignorePatterns
        self.archiveDays = archiveDays
        self.timeFormat = timeFormat
        self.timeZone = timeZone
        self.columns = columns
    }

    static let keys = ["Directory", "Encoding", "Delimiter", "Header", "MaxLineLength", "MaxFileSize", "SettleTime",
                       "RescanInterval", "MarkerSuffix", "IgnorePatterns", "ArchiveDays", "TimeFormat", "TimeZone"]

    /// The dialect the reader uses for this connector's files in `encoding` (resolved).
    public func dialect(for encoding: TextEncoding) -> CSVDialect {
        CSVDialect(delimiter: delimiter, maxRecordLength: maxLineLength, doubleByteEncoding: encoding == .gb18030)
    }

    /// The columns feeding `target`, in file order.
    public func columns(for target: CSVMappingTarget) -> [CSVColumnMapping] {
        columns.filter { $0.target == target }
    }

    // MARK: value parsers

    static func encoding(_ text: String) throws(ConfigValueError) -> TextEncoding {
        guard let encoding = TextEncoding(label: text) else {
            throw ConfigValueError("\"\(text)\" is not a supported encoding (use utf-8, gb18030 (also for GBK and GB2312), utf-16 (with a byte order mark) or auto)")
        }
        return encoding
    }

    static func delimiter(_ text: String) throws(ConfigValueError) -> UInt8 {
        guard let dialect = CSVDialect(delimiterName: text) else {
            throw ConfigValueError("\"\(text)\" is not a usable delimiter (use one ASCII character other than a quote or line break, or comma, semicolon, tab, pipe)")
        }
        return dialect.delimiter
    }

    static func timeZone(_ text: String) throws(ConfigValueError) -> TimeZone {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let zone = TimeZone(identifier: trimmed) { return zone }
        if ["UTC", "GMT", "Z"].contains(trimmed.uppercased()) { return TimeZone(secondsFromGMT: 0)! }
        throw ConfigValueError("\"\(text)\" is not a time zone (use a zone name such as Asia/Shanghai or UTC)")
    }

    static func suffix(_ text: String) throws(ConfigValueError) -> String {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.contains("/"), !trimmed.contains("\u{0}"), trimmed != ".", trimmed != ".." else {
            throw ConfigValueError("\"\(text)\" cannot be part of a file name (use e.g. .done or .ok)")
        }
        return trimmed
    }

    // MARK: reading

    /// Reads `[CSV]` (which may be absent: every key has a default) and checks the connector's
    /// `[Mapping]` for this kind. Problems are reported on `reader`; `nil` when there were any.
    static func read(_ reader: inout IniSectionReader, mapping entries: ConnectorConfiguration.Mapping,
                     name: String?, spoolDirectory: String, directory: String) -> CSVDropSettings? {
        let errorsBefore = reader.errors.count
        let folder = reader.value("Directory") { text throws(ConfigValueError) in
            try ConfigValueParser.path(text, relativeTo: directory)
        } ?? name.map { ConfigValueParser.resolve($0, relativeTo: spoolDirectory) } ?? spoolDirectory
        var settings = CSVDropSettings(directory: folder)
        if let encoding = reader.value("Encoding", encoding) { settings.encoding = encoding }
        if let delimiter = reader.value("Delimiter", delimiter) { settings.delimiter = delimiter }
        if let header = reader.value("Header", ConfigValueParser.bool) { settings.header = header }
        if let length = reader.value("MaxLineLength", { text throws(ConfigValueError) in
            try ConfigValueParser.byteSize(text, in: 1...(1 << 30), hint: "use from 1 byte to 1G; the default is 1M")
        }) {
            settings.maxLineLength = Int(length)
        }
        if let size = reader.value("MaxFileSize", { text throws(ConfigValueError) in
            try ConfigValueParser.byteSize(text, in: 1...Int64.max, hint: "use a size larger than 0, e.g. 1G")
        }) {
            settings.maxFileSize = size
        }
        if let settle = reader.value("SettleTime", ConfigValueParser.duration) { settings.settleTime = settle }
        if let rescan = reader.value("RescanInterval", ConfigValueParser.duration) {
            if rescan < 1 {
                reader.report("must be at least 1s (a full listing of incoming/ every moment is wasted work; inotify already reports new files at once)",
                              key: "RescanInterval", line: reader.line(of: "RescanInterval"))
            } else {
                settings.rescanInterval = rescan
            }
        }
        settings.markerSuffix = reader.value("MarkerSuffix", suffix)
        if reader.section?.entries.contains(where: { $0.key == "IgnorePatterns" }) == true {
            settings.ignorePatterns = reader.list("IgnorePatterns", ConfigValueParser.words)
        }
        if let days = reader.value("ArchiveDays", { text throws(ConfigValueError) in
            try ConfigValueParser.positiveInteger(text, in: 0...36_500)
        }) {
            settings.archiveDays = days
        }
        if let format = reader.value("TimeFormat", { text throws(ConfigValueError) in CallTimeFormat(configured: text) }) {
            settings.timeFormat = format
        }
        if let zone = reader.value("TimeZone", timeZone) { settings.timeZone = zone }
        settings.columns = readMapping(entries, header: settings.header, reporting: &reader)
        return reader.errors.count == errorsBefore ? settings : nil
    }

    /// Checks the `[Mapping]` lines (column = target) for a csv-drop connector.
    static func readMapping(_ entries: ConnectorConfiguration.Mapping, header: Bool,
                            reporting reader: inout IniSectionReader) -> [CSVColumnMapping] {
        guard !entries.isEmpty else {
            reader.report("Kind=csv-drop needs a [Mapping] section naming the columns to read (e.g. \"Caller Number\"=phone, 坐席=call.agent; targets: \(CSVMappingTarget.names.joined(separator: ", ")))",
                          key: nil, line: reader.section?.line)
            return []
        }
        var columns: [CSVColumnMapping] = []
        for entry in entries {
            let targetName = entry.target.trimmingCharacters(in: .whitespaces)
            guard let target = CSVMappingTarget(name: targetName) else {
                reader.report(ConfigValueParser.unknownMappingTarget(targetName, targets: CSVMappingTarget.names),
                              key: entry.source, line: entry.line)
                continue
            }
            if !header {
                guard let number = Int(entry.source.trimmingCharacters(in: .whitespaces)), number >= 1 else {
                    reader.report("with Header=no, columns are mapped by number (write e.g. 3=phone for the third column)",
                                  key: entry.source, line: entry.line)
                    continue
                }
            }
            if let earlier = columns.first(where: { $0.target == target }) {
                reader.report("\(target) is already mapped from column \"\(earlier.column)\" on line \(earlier.line) (map each target from one column)",
                              key: entry.source, line: entry.line)
                continue
            }
            columns.append(CSVColumnMapping(column: entry.source, target: target, line: entry.line))
        }
        let identifying: [CSVMappingTarget] = [.customer(.phone), .customer(.email), .customer(.name), .key]
        if !columns.isEmpty, !columns.contains(where: { identifying.contains($0.target) }) {
            reader.report("no column is mapped to phone, email, name or key, so rows cannot be matched to customers (map at least one of them)",
                          key: nil, line: entries.first?.line)
        }
        return columns
    }
}
