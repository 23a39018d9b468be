import CustSyncCore
import Foundation

/// Where an order feed stands, committed as the connector's `Cursor` with the orders read
/// before it (a small JSON object). It says either which page to fetch next in a walk that a
/// crash or timeout interrupted (`next`), or, once a walk is complete, how to ask for what
/// changed since (`updatedSince`/`afterID` or `token`), and the ETag of the walk's first page.
struct FeedCursor: Codable, Sendable, Equatable {
    /// Format version, for later changes.
    var version = 1
    /// The page to fetch next in an unfinished walk; `nil` once the walk reached its last page.
    var next: String?
    /// `updated_at` of the newest order read, exactly as the feed wrote it.
    var updatedSince: String?
    /// The id of that order, for feeds that break ties between equal timestamps.
    var afterID: String?
    /// The resume token (`CursorParameter=`).
    var token: String?
    /// The first page's URL and `ETag`, sent back as `If-None-Match` when a poll starts there again.
    var headURL: String?
    var etag: String?

    enum CodingKeys: String, CodingKey {
        case version = "v", next, updatedSince = "updated_since", afterID = "after_id", token, headURL = "head", etag
    }

    init() {}

    /// Reads a stored cursor; `nil` if it is not one of ours (then the feed is read from the start,
    /// which re-reads orders already applied but loses none).
    init?(_ cursor: Cursor) {
        guard let data = cursor.value.data(using: .utf8),
              let decoded = try? JSONDecoder().decode(FeedCursor.self, from: data),
              decoded.version == 1 else { return nil }
        self = decoded
    }

    /// Moves the resume point past `order` (`highWater`: the date of `updatedSince`, kept
    /// parsed by the caller). Rejected orders count too: they are quarantined with their batch,
    /// and asking for them again would only quarantine them again. An `updated_at` later than
    /// `latestBelievable` (a clock or data error upstream) does not move it: `updated_since`
    /// would skip every order changed before that date.
    mutating func advance(past order: JSONValue, incremental: FeedIncrementalMode, mapper: OrderMapper,
                          highWater: inout Date?, latestBelievable: Date) {
        switch incremental {
        case .updatedSince:
            // Ties go to the later order in the feed's own order, which is what after_id continues from.
            guard let updated = mapper.updatedAt(of: order), updated.date >= (highWater ?? .distantPast),
                  updated.date <= latestBelievable else { return }
            highWater = updated.date
            updatedSince = updated.text
            afterID = mapper.orderID(of: order)
        case .cursor(_, nil):
            if let id = mapper.orderID(of: order) { token = id }
        case .cursor, .none:
            break
        }
    }

    var cursor: Cursor {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(self)) ?? Data("{}".utf8)
        return Cursor(String(decoding: data, as: UTF8.self))
    }
}
