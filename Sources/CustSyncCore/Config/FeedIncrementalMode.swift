import Foundation

/// How an order feed is asked for only what changed since the last poll.
public enum FeedIncrementalMode: Sendable, Equatable {
    /// Every poll reads the feed from `URL=`; unchanged orders are recognised and change nothing,
    /// and an `ETag` lets the server answer 304 when nothing changed at all.
    case none
    /// `CursorParameter=`: the next poll sends `parameter=<token>`, where the token is the value
    /// at `path` in the last response body (`CursorPath=`), or without a path the order id of
    /// the last order read.
    case cursor(parameter: String, path: FeedPath?)
    /// `UpdatedSinceParameter=`: the next poll sends `parameter=<updated_at>` of the newest order
    /// read, as the feed wrote it; with `AfterIDParameter=` also that order's id, for feeds that
    /// page by (updated_at, id) so orders sharing a timestamp are neither skipped nor replayed.
    /// With an `overlap` (`UpdatedSinceOverlap=`), each poll starts that much earlier instead, so
    /// an order the shop committed late, with an `updated_at` already passed, is still read;
    /// orders read twice are recognised and change nothing.
    case updatedSince(parameter: String, afterIDParameter: String?, overlap: TimeInterval = 0)
}
