import CustSyncCore
import Foundation

/// Reads the messages of the opened mailbox in few round trips and bounded memory: first the
/// UIDs, sizes and arrival dates of a UID range, then the messages, several to a `UID FETCH`
/// up to `groupBytes` (a message larger than that on its own). A message larger than
/// `MaxMessageSize=` is never fetched whole: only its header section is.
struct IMAPMessageReader {
    /// What one fetch asks for, unless a single message is larger (up to `MaxMessageSize=`).
    static let groupBytes = 4 << 20
    /// The most of a header section fetched for an oversized message.
    static let headerBytes = 64 << 10
    /// Allowance for the protocol text around each message.
    static let perMessageOverhead = 256
    /// Allowance for untagged updates the server may add to any response.
    private static let overhead = 64 << 10

    /// A message as listed: the fetch plan is made from its size.
    struct Listing: Equatable {
        var uid: UInt32
        var size: Int
        var internalDate: Date?
    }

    let session: IMAPSession
    let mapper: MailRecordMapper
    let mailbox: String
    let uidValidity: UInt32
    let maxMessageSize: Int

    /// The messages with UIDs in `uids` (at most `IMAPConnector.listingWindow` of them), in UID order.
    func list(_ uids: ClosedRange<UInt32>) throws(ConnectorError) -> [Listing] {
        let bytes = try session.run("UID FETCH \(uids.lowerBound):\(uids.upperBound) (UID RFC822.SIZE INTERNALDATE)",
                                    limit: Self.overhead + (uids.count) * 160)
        var seen = Set<UInt32>()
        return try fetched(in: bytes).filter { uids.contains($0.uid) && seen.insert($0.uid).inserted }
            .map { Listing(uid: $0.uid, size: $0.size ?? 0, internalDate: $0.internalDate) }
            .sorted { $0.uid < $1.uid }
    }

    /// One batch item for each of `messages`, in the same order. Each fetch's messages are
    /// turned into items before the next fetch, so only one fetch's bytes (`groupBytes`, or
    /// one message up to `MaxMessageSize=`) are held at a time, never the whole batch's.
    func items(for messages: ArraySlice<Listing>) throws(ConnectorError) -> [Batch.Item] {
        let listings = Dictionary(messages.map { ($0.uid, $0) }, uniquingKeysWith: { first, _ in first })
        var items: [UInt32: Batch.Item] = [:]
        let fitting = messages.filter { $0.size <= maxMessageSize }.map { (uid: $0.uid, size: $0.size) }
        for group in Self.groups(fitting) {
            for (uid, bytes) in try fetch(group, item: "BODY.PEEK[]") {
                if let listing = listings[uid] { items[uid] = item(listing, parsing: bytes, headersOnly: false) }
            }
        }
        let oversized = messages.filter { $0.size > maxMessageSize }.map { (uid: $0.uid, size: Self.headerBytes) }
        for group in Self.groups(oversized) {
            for (uid, bytes) in try fetch(group, item: "BODY.PEEK[HEADER]<0.\(Self.headerBytes)>") {
                if let listing = listings[uid] { items[uid] = item(listing, parsing: bytes, headersOnly: true) }
            }
        }
        return messages.map { listing in
            items[listing.uid] ?? .skipped(origin: origin(listing), reason: "message vanished before it was fetched (expunged)")
        }
    }

    private func item(_ listing: Listing, parsing bytes: [UInt8], headersOnly: Bool) -> Batch.Item {
        // INTERNALDATE stands in for a missing Date: header; unlike the time of the poll it is
        // the same when the mailbox is read again, so the interaction does not change.
        mapper.item(parsing: bytes, origin: origin(listing), receivedAt: listing.internalDate ?? Date(),
                    headersOnly: headersOnly)
    }

    private func origin(_ listing: Listing) -> String {
        "\(mailbox) UIDVALIDITY \(uidValidity) UID \(listing.uid)"
    }

    /// `item` of each message in `group`, by UID; a message that is gone is missing.
    private func fetch(_ group: [(uid: UInt32, size: Int)], item: String) throws(ConnectorError) -> [UInt32: [UInt8]] {
        let expected = group.reduce(Self.overhead) { $0 + $1.size + Self.perMessageOverhead }
        let bytes = try session.run("UID FETCH \(Self.sequenceSet(group.map(\.uid))) (UID \(item))", limit: expected)
        var sections: [UInt32: [UInt8]] = [:]
        let wanted = Set(group.map(\.uid))
        for message in try fetched(in: bytes) where wanted.contains(message.uid) {
            if let section = message.section { sections[message.uid] = section }
        }
        return sections
    }

    private func fetched(in bytes: [UInt8]) throws(ConnectorError) -> [IMAPFetchedMessage] {
        do {
            return try IMAPFetchResponse.messages(in: bytes)
        } catch {
            throw ConnectorError("the IMAP server's answer for \(mailbox) could not be read (\(error)); the poll stopped and is retried")
        }
    }

    /// Consecutive runs of (UID, size) whose sizes, with `perMessageOverhead` each, add up to at
    /// most `groupBytes`; a larger message forms a group of its own.
    static func groups(_ messages: [(uid: UInt32, size: Int)]) -> [[(uid: UInt32, size: Int)]] {
        var groups: [[(uid: UInt32, size: Int)]] = []
        var current: [(uid: UInt32, size: Int)] = []
        var bytes = 0
        for message in messages {
            let cost = message.size + perMessageOverhead
            if !current.isEmpty && bytes + cost > groupBytes {
                groups.append(current)
                current = []
                bytes = 0
            }
            current.append(message)
            bytes += cost
        }
        if !current.isEmpty { groups.append(current) }
        return groups
    }

    /// `1:4,7,9:10` for [1, 2, 3, 4, 7, 9, 10] (ascending UIDs).
    static func sequenceSet(_ uids: [UInt32]) -> String {
        var parts: [String] = []
        var index = 0
        while index < uids.count {
            var end = index
            while end + 1 < uids.count && uids[end + 1] == uids[end] + 1 { end += 1 }
            parts.append(end == index ? "\(uids[index])" : "\(uids[index]):\(uids[end])")
            index = end + 1
        }
        return parts.joined(separator: ",")
    }
}
