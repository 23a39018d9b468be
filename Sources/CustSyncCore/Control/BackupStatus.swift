import Foundation

/// The backup part of `status`.
public struct BackupStatus: Codable, Sendable, Equatable {
    public var directory: String
    public var secondaryDirectory: String?
    /// `BackupInterval=` in seconds; 0 when scheduled backups are off.
    public var intervalSeconds: Double
    public var keep: Int
    /// The newest backup in the backup folder (scheduled or manual).
    public var lastAt: Date?
    public var lastPath: String?
    /// When the next scheduled backup is due.
    public var nextAt: Date?
    /// The last scheduled backup's failure, when it failed after the newest good backup.
    public var lastError: String?
    public var lastErrorAt: Date?

    public init(directory: String, secondaryDirectory: String?, intervalSeconds: Double, keep: Int) {
        self.directory = directory
        self.secondaryDirectory = secondaryDirectory
        self.intervalSeconds = intervalSeconds
        self.keep = keep
    }
}
