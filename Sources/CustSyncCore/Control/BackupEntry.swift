import Foundation

/// One backup file, as `syncctl backups` lists it.
public struct BackupEntry: Codable, Sendable, Equatable {
    public var path: String
    public var name: String
    /// `primary` (`BackupDirectory=`) or `secondary` (`SecondaryDirectory=`).
    public var location: String
    /// `scheduled` (removed by `BackupKeep=`) or `manual` (`syncctl backup`; kept until removed by hand).
    public var kind: String
    public var bytes: Int64
    public var createdAt: Date

    public init(path: String, name: String, location: String, kind: String, bytes: Int64, createdAt: Date) {
        self.path = path
        self.name = name
        self.location = location
        self.kind = kind
        self.bytes = bytes
        self.createdAt = createdAt
    }
}
