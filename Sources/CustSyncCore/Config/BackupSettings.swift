import Foundation

/// The `[Backup]` section: scheduled online backups of the store. The backups go to
/// `[Daemon] BackupDirectory=`, and a copy of each to `SecondaryDirectory=` when set (another
/// disk, or a mounted remote share).
public struct BackupSettings: Sendable, Equatable {
    /// Seconds between scheduled backups; 0 turns them off.
    public var interval: TimeInterval
    /// Scheduled backups kept in each folder; older ones are removed. Manual backups
    /// (`syncctl backup`) are never removed.
    public var keep: Int
    public var secondaryDirectory: String?

    public init(interval: TimeInterval = 86_400, keep: Int = 7, secondaryDirectory: String? = nil) {
        self.interval = interval
        self.keep = keep
        self.secondaryDirectory = secondaryDirectory
    }

    static let keys = ["BackupInterval", "BackupKeep", "SecondaryDirectory"]
    public static let keepRange = 1...10_000

    static func read(_ reader: inout IniSectionReader, baseDirectory: String) -> BackupSettings {
        var settings = BackupSettings()
        if let interval = reader.value("BackupInterval", ConfigValueParser.duration) {
            if interval > 0 && interval < 1 {
                reader.report("must be 0 (off) or at least 1s (use e.g. 1d or 6h)", key: "BackupInterval",
                              line: reader.line(of: "BackupInterval"))
            } else {
                settings.interval = interval
            }
        }
        if let keep = reader.value("BackupKeep", { text throws(ConfigValueError) in
            try ConfigValueParser.positiveInteger(text, in: keepRange)
        }) {
            settings.keep = keep
        }
        settings.secondaryDirectory = reader.value("SecondaryDirectory") { text throws(ConfigValueError) in
            try ConfigValueParser.path(text, relativeTo: baseDirectory)
        }
        return settings
    }
}
