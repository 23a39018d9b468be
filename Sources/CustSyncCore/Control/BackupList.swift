/// The answer to `backups`: the folders and the backup files in them, newest first.
public struct BackupList: Codable, Sendable {
    public var directory: String
    public var secondaryDirectory: String?
    public var backups: [BackupEntry]
    /// Problems reading a folder (missing, not readable); the listing shows what it could.
    public var problems: [String]

    public init(directory: String, secondaryDirectory: String?, backups: [BackupEntry], problems: [String]) {
        self.directory = directory
        self.secondaryDirectory = secondaryDirectory
        self.backups = backups
        self.problems = problems
    }
}
