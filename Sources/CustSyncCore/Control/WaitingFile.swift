import Foundation

/// A file a csv-drop connector has seen in `incoming/` but not taken yet, and why: what
/// `syncctl status` shows so that "why is my file not read?" needs no digging.
public struct WaitingFile: Codable, Sendable, Equatable {
    /// How many a status lists: enough to see what is stuck, bounded for a flooded folder.
    public static let shownAtMost = 20

    public enum Reason: String, Codable, Sendable {
        /// Its size or time changed less than `SettleTime=` ago (or it is about to be taken).
        case settling
        /// Marker mode: its marker (`data.csv.done`) does not exist yet.
        case awaitingMarker = "awaiting-marker"
        /// Settled, but its writer still holds it open (or no close of it was seen yet).
        case writerOpen = "writer-open"
    }

    public var name: String
    public var size: Int64
    public var modified: Date
    public var reason: Reason

    public init(name: String, size: Int64, modified: Date, reason: Reason) {
        self.name = name
        self.size = size
        self.modified = modified
        self.reason = reason
    }
}
