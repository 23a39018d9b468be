import Foundation

/// The answer to `status`: the daemon, each connector, the store, the newest journal entries.
/// Its JSON form is the documented contract of `syncctl status --json`.
public struct StatusReport: Codable, Sendable {
    public struct Daemon: Codable, Sendable {
        public var version: String
        public var pid: Int32
        public var startedAt: Date
        public var uptimeSeconds: Double
        public var configuration: String
        public var store: String

        public init(version: String, pid: Int32, startedAt: Date, uptimeSeconds: Double,
                    configuration: String, store: String) {
            self.version = version
            self.pid = pid
            self.startedAt = startedAt
            self.uptimeSeconds = uptimeSeconds
            self.configuration = configuration
            self.store = store
        }
    }

    public var daemon: Daemon
    /// ok | degraded | failing, with the reason.
    public var verdict: String
    public var verdictReason: String
    public var connectors: [ConnectorStatus]
    /// Whether the store takes writes; when it does not, ingestion is paused.
    public var storeHealth: StoreHealth
    /// Absent only while the store is faulted and cannot even be read (e.g. unmounted for repair).
    public var store: StoreCounts?
    public var recentJournal: [JournalEntry]
    /// Scheduled and manual backups: folders, the newest, the next, the last failure.
    public var backup: BackupStatus?

    public init(daemon: Daemon, verdict: String, verdictReason: String, connectors: [ConnectorStatus],
                storeHealth: StoreHealth, store: StoreCounts?, recentJournal: [JournalEntry]) {
        self.daemon = daemon
        self.verdict = verdict
        self.verdictReason = verdictReason
        self.connectors = connectors
        self.storeHealth = storeHealth
        self.store = store
        self.recentJournal = recentJournal
    }
}
