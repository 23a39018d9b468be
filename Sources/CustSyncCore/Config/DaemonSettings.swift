import Foundation

/// The `[Daemon]` section: where the daemon keeps its files and how it runs.
/// All paths are absolute and normalized.
public struct DaemonSettings: Sendable, Equatable {
    /// The `LogLevel=` values, least to most severe (syslog names).
    public enum LogLevel: String, CaseIterable, Sendable, Comparable, Codable {
        case debug, info, notice, warning, err

        private var rank: Int { LogLevel.allCases.firstIndex(of: self) ?? 0 }

        public static func < (lhs: LogLevel, rhs: LogLevel) -> Bool { lhs.rank < rhs.rank }
    }

    public static let defaultStateDirectory = "/var/lib/custsync"
    public static let defaultRuntimeDirectory = "/run/custsync"
    public static let defaultSpoolDirectory = "/var/spool/custsync"
    public static let defaultConnectorsDirectory = "connectors.d"
    public static let batchSizeRange = 1...100_000
    /// Longest path a Unix socket address holds (sun_path less its terminating NUL).
    public static let maximumSocketPathLength = 107

    public var stateDirectory: String
    public var runtimeDirectory: String
    public var spoolDirectory: String
    public var connectorsDirectory: String
    public var store: String
    public var controlSocket: String
    public var backupDirectory: String
    public var logLevel: LogLevel
    /// `StopTimeoutSec=`, seconds.
    public var stopTimeout: TimeInterval
    /// Records per transaction.
    public var batchSize: Int

    /// Defaults; `store`, `controlSocket` and `backupDirectory` derive from the directories
    /// when `nil`.
    public init(stateDirectory: String = DaemonSettings.defaultStateDirectory,
                runtimeDirectory: String = DaemonSettings.defaultRuntimeDirectory,
                spoolDirectory: String = DaemonSettings.defaultSpoolDirectory,
                connectorsDirectory: String = "/etc/custsync/connectors.d",
                store: String? = nil,
                controlSocket: String? = nil,
                backupDirectory: String? = nil,
                logLevel: LogLevel = .info,
                stopTimeout: TimeInterval = 4,
                batchSize: Int = 1000) {
        self.stateDirectory = stateDirectory
        self.runtimeDirectory = runtimeDirectory
        self.spoolDirectory = spoolDirectory
        self.connectorsDirectory = connectorsDirectory
        self.store = store ?? ConfigValueParser.resolve("store.db", relativeTo: stateDirectory)
        self.controlSocket = controlSocket ?? ConfigValueParser.resolve("control.sock", relativeTo: runtimeDirectory)
        self.backupDirectory = backupDirectory ?? ConfigValueParser.resolve("backups", relativeTo: stateDirectory)
        self.logLevel = logLevel
        self.stopTimeout = stopTimeout
        self.batchSize = batchSize
    }

    static let keys = ["StateDirectory", "RuntimeDirectory", "SpoolDirectory", "ConnectorsDirectory", "Store",
                       "ControlSocket", "BackupDirectory", "LogLevel", "StopTimeoutSec", "BatchSize"]

    /// Reads `[Daemon]`. Relative paths resolve against `baseDirectory` (the main file's
    /// directory). When `StateDirectory=`/`RuntimeDirectory=` are not set, the absolute paths in
    /// `$STATE_DIRECTORY`/`$RUNTIME_DIRECTORY` (set by systemd for a unit with those settings;
    /// the first of a colon-separated list) take the place of the built-in defaults.
    static func read(_ reader: inout IniSectionReader, baseDirectory: String,
                     environment: [String: String]) -> DaemonSettings {
        func path(_ key: String) -> String? {
            reader.value(key) { text throws(ConfigValueError) in try ConfigValueParser.path(text, relativeTo: baseDirectory) }
        }
        func fromEnvironment(_ name: String) -> String? {
            guard let value = environment[name],
                  let first = value.split(separator: ":").first, first.hasPrefix("/") else { return nil }
            return ConfigValueParser.normalize(String(first))
        }
        let state = path("StateDirectory") ?? fromEnvironment("STATE_DIRECTORY") ?? defaultStateDirectory
        let runtime = path("RuntimeDirectory") ?? fromEnvironment("RUNTIME_DIRECTORY") ?? defaultRuntimeDirectory
        var settings = DaemonSettings(
            stateDirectory: state,
            runtimeDirectory: runtime,
            spoolDirectory: path("SpoolDirectory") ?? defaultSpoolDirectory,
            connectorsDirectory: path("ConnectorsDirectory")
                ?? ConfigValueParser.resolve(defaultConnectorsDirectory, relativeTo: baseDirectory),
            store: path("Store"),
            controlSocket: path("ControlSocket"),
            backupDirectory: path("BackupDirectory"))
        if let level = reader.value("LogLevel", { text throws(ConfigValueError) in
            try ConfigValueParser.choice(text, of: LogLevel.allCases.map(\.rawValue), what: "log level")
        }) {
            settings.logLevel = LogLevel(rawValue: level) ?? .info
        }
        if let timeout = reader.value("StopTimeoutSec", ConfigValueParser.duration) {
            if timeout > 0 {
                settings.stopTimeout = timeout
            } else {
                reader.report("must be longer than 0 (use e.g. 4s)", key: "StopTimeoutSec", line: reader.line(of: "StopTimeoutSec"))
            }
        }
        if let size = reader.value("BatchSize", { text throws(ConfigValueError) in
            try ConfigValueParser.positiveInteger(text, in: batchSizeRange)
        }) {
            settings.batchSize = size
        }
        let socketLength = settings.controlSocket.utf8.count
        if socketLength > maximumSocketPathLength {
            let key = reader.last("ControlSocket") != nil ? "ControlSocket" : "RuntimeDirectory"
            reader.report("control socket path \(settings.controlSocket) is \(socketLength) bytes long, but Unix sockets allow at most \(maximumSocketPathLength) (choose a shorter ControlSocket= or RuntimeDirectory=)",
                          key: key, line: reader.last(key)?.line)
        }
        return settings
    }
}
