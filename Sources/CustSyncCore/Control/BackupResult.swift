import Foundation

/// The answer to `backup`: where the copy went and that it passed its integrity check.
public struct BackupResult: Codable, Sendable {
    public var path: String
    public var bytes: Int64
    public var startedAt: Date
    public var seconds: Double
    /// `ok`: the copy passed `PRAGMA integrity_check` and is a custsync store.
    public var integrity: String
    /// The copy in `SecondaryDirectory=`, when one is configured and the backup went to the
    /// backup folder.
    public var secondaryPath: String?
    /// Why the secondary copy failed, if it did (the primary backup is still good).
    public var secondaryError: String?

    public init(path: String, bytes: Int64, startedAt: Date, seconds: Double, integrity: String) {
        self.path = path
        self.bytes = bytes
        self.startedAt = startedAt
        self.seconds = seconds
        self.integrity = integrity
    }
}
