import Foundation

/// One connector as `syncctl status` shows it: the runtime half (state, next poll) from the
/// daemon's memory, the persisted half (cursor, counters, last success) from the store.
public struct ConnectorStatus: Codable, Sendable, Equatable {
    public var name: String
    public var kind: String
    /// idle | polling | backing-off | paused | failing | waiting-for-store | disabled
    public var state: String
    /// Failed polls since the last success (a poll running after failures is a retry).
    public var consecutiveFailures: Int
    public var cursor: String?
    public var lastSuccess: Date?
    public var lastError: String?
    public var lastErrorAt: Date?
    public var nextPoll: Date?
    /// Observed time of the newest committed record: the connector's lag.
    public var newestRecord: Date?
    public var recordsIn: Int64
    public var applied: Int64
    public var unchanged: Int64
    public var rejected: Int64
    public var skipped: Int64
    /// csv-drop: files seen in `incoming/` and not taken yet (oldest first, at most
    /// `WaitingFile.shownAtMost`); absent when there are none.
    public var waitingFiles: [WaitingFile]?

    public init(name: String, kind: String, state: String) {
        self.name = name
        self.kind = kind
        self.state = state
        consecutiveFailures = 0
        recordsIn = 0; applied = 0; unchanged = 0; rejected = 0; skipped = 0
    }
}
