import CustSyncCore
import Foundation

/// One poll's walk through an order feed: from the committed cursor (the page after the last
/// one committed, or the first page asked for what changed since), page by page along `next`
/// links, until a page has none (or names itself, or repeats the orders of the page before, or
/// is the tenth empty page in a row).
///
/// Orders are committed with the cursor that points past the page they came from: a page's
/// orders and the cursor naming the page after it go into the same batch, so a crash at any
/// point resumes at the first page not committed, and orders re-read after a crash change
/// nothing. Several pages may share one batch (up to `BatchSize=` orders); a page with more
/// orders than that is split, the cursor going with its last part. While a full batch commits
/// (`CommitInFlight`), the walk fetches and reads the next pages; it waits for that commit
/// before it commits anything else, and before it returns.
final class FeedWalk {
    private let source: String
    private let settings: FeedSettings
    private let mapper: OrderMapper
    private let parser: FeedPageParser
    private let fetcher: FeedPageFetcher
    private let context: PollContext
    private let memory: FeedMemory
    private let log: (String) -> Void

    /// Where the feed stands after the last page read (committed or not).
    private var state: FeedCursor
    /// `updated_at` of `state.updatedSince`, for comparisons.
    private var highWater: Date?
    /// Items read but not yet committed, and the cursor to commit with them.
    private var pending: [Batch.Item] = []
    private var pendingCursor: Cursor?
    /// The cursor value the store holds.
    private var committed: Cursor?
    /// Batches committing while the walk reads on.
    private var inFlight: CommitInFlight?
    private var visited: Set<String> = []
    /// The page read last in this poll, told apart by its size and first and last entries (the
    /// page itself is not kept: it may be large).
    private struct Signature: Equatable {
        var count: Int
        var first: FeedPage.Entry?
        var last: FeedPage.Entry?

        init(_ page: FeedPage) {
            count = page.entries.count
            first = page.entries.first
            last = page.entries.last
        }
    }
    private var previousPage: Signature?
    /// Empty pages read one after the other, up to the last page read.
    private var emptyPagesInARow = 0
    /// Empty pages in a row, each with a next link, that end a walk as a last page would: some
    /// feeds hand out a fresh link on every empty page and never a page without one. A gap of
    /// one or two empty pages in a feed that goes on after it is still walked through.
    static let emptyPagesEndingAWalk = 10
    /// Orders dated after this (a day ahead of this host's clock) do not move `updated_since`.
    private let latestBelievable = Date().addingTimeInterval(86_400)

    init(source: String, settings: FeedSettings, mapper: OrderMapper, parser: FeedPageParser,
         fetcher: FeedPageFetcher, context: PollContext, memory: FeedMemory, state: FeedCursor, committed: Cursor?,
         log: @escaping (String) -> Void) {
        self.source = source
        self.settings = settings
        self.mapper = mapper
        self.parser = parser
        self.fetcher = fetcher
        self.context = context
        self.memory = memory
        self.log = log
        self.state = state
        self.committed = committed
        highWater = state.updatedSince.flatMap { FeedTimestamp(.string($0))?.date }
    }

    /// The first page of a walk: `URL=` plus the page size and whatever says "since last time".
    static func headURL(settings: FeedSettings, state: FeedCursor) -> String {
        var parameters: [(name: String, value: String)] = []
        if let size = settings.pageSize { parameters.append((settings.pageSizeParameter, String(size))) }
        switch settings.incremental {
        case .none:
            break
        case .cursor(let parameter, _):
            if let token = state.token { parameters.append((parameter, token)) }
        case .updatedSince(let parameter, let afterIDParameter, let overlap):
            guard let since = state.updatedSince else { break }
            if overlap > 0, let earlier = FeedTimestamp(.string(since))?.earlier(by: overlap) {
                // From a time before the newest order read: no id to continue after.
                parameters.append((parameter, earlier))
            } else {
                parameters.append((parameter, since))
                if let afterIDParameter, let id = state.afterID { parameters.append((afterIDParameter, id)) }
            }
        }
        return FeedURL.setting(parameters, in: settings.url)
    }

    /// Walks to the last page. Throws `PollStopped` when asked to stop, a `ConnectorError` when a
    /// page cannot be had; either way what was read before is committed first.
    func run() throws {
        var url: String
        var isHead: Bool
        // Whether `url` is the page an earlier poll stopped before (its link may have expired since).
        var isResumed = false
        if let next = state.next, isOnFeedServer(next) {
            url = next
            isHead = false
            isResumed = true
        } else {
            // A walk left unfinished on the server of an earlier `URL=` starts again from the
            // head: requests and credentials only ever go to the server of `URL=`.
            state.next = nil
            url = FeedWalk.headURL(settings: settings, state: state)
            isHead = true
        }
        do {
            while true {
                if context.stopWasRequested { throw PollStopped() }
                let etag = isHead && state.headURL == url ? state.etag : nil
                let response: HTTPResponse
                switch try fetcher.fetch(url, ifNoneMatch: etag) {
                case .notModified:
                    try flush()
                    memory.walkCompleted()
                    return
                case .malformed(let reason):
                    try flush()
                    throw try quarantine(url, reason: reason, body: [])
                case .gone(let status, _) where isResumed:
                    // Paging links expire. The walk starts again at the first page it started at:
                    // asking from the position committed since could skip orders of the unread
                    // pages in a feed not sorted by updated_at. Orders read again change nothing.
                    log("the page \(url), where the last poll stopped, is gone (HTTP \(status)); reading again from the first page of that walk")
                    state.next = nil
                    if let head = state.headURL, isOnFeedServer(head) {
                        url = head
                    } else {
                        url = FeedWalk.headURL(settings: settings, state: state)
                    }
                    isHead = true
                    isResumed = false
                    continue
                case .gone(let status, _) where isHead && hasCursorToken:
                    // The feed has forgotten the cursor it gave out (cursors expire, as sync
                    // tokens do): the documented answer is to read the feed again from its
                    // start. Orders read again change nothing; only the new ones are applied.
                    log("the feed no longer knows the cursor \(state.token ?? "") (HTTP \(status) for \(url)); reading it again from its first page (orders already applied change nothing)")
                    state.token = nil
                    url = FeedWalk.headURL(settings: settings, state: state)
                    continue
                case .gone(_, let error):
                    throw error
                case .page(let fetched):
                    response = fetched
                }
                let page: FeedPage
                do {
                    page = try parser.parse(response.body)
                } catch {
                    try flush()
                    throw try quarantine(url, reason: error.reason, body: response.body)
                }
                let signature = Signature(page)
                if !page.entries.isEmpty && signature == previousPage {
                    // The orders of the page before, under a new link (`p=N+1`, a fresh token):
                    // the feed repeats its last page, as others name it as its own next. Following
                    // on would re-read it until the poll's Timeout=, on every poll.
                    state.next = nil
                    pendingCursor = state.cursor
                    break
                }
                previousPage = signature
                visited.insert(url)
                isResumed = false
                // Before the page's orders are read: a page whose next link is refused is not
                // committed, so a retry does not read (and quarantine) it again.
                let next = try nextLink(of: page, response: response, url: url)
                read(page, from: url)
                if isHead {
                    state.headURL = url
                    // A 304 for the first page says nothing of the pages after it: its ETag is
                    // kept only when it was the whole feed.
                    state.etag = next == nil ? response.headers["ETag"] : nil
                }
                state.next = next
                emptyPagesInARow = page.entries.isEmpty ? emptyPagesInARow + 1 : 0
                if next != nil && emptyPagesInARow >= Self.emptyPagesEndingAWalk {
                    log("\(emptyPagesInARow) empty pages in a row, each with a next link: this walk ends here as at a last page, and the next poll starts again at the first page (asking for what changed since, if the feed is incremental)")
                    state.next = nil
                }
                pendingCursor = state.cursor
                if pending.count >= context.batchSize { try flushAhead() }
                guard let next = state.next else { break }
                url = next
                isHead = false
            }
            try flush()
            memory.walkCompleted()
        } catch {
            // Commit what was read before the failure, so the next poll resumes after it.
            try flush()
            throw error
        }
    }

    /// Adds the page's orders to `pending` and moves `state` past them.
    private func read(_ page: FeedPage, from url: String) {
        pending.reserveCapacity(pending.count + page.entries.count)
        for (index, entry) in page.entries.enumerated() {
            switch entry {
            case .invalid(let line, let reason, let raw):
                pending.append(.rejected(Rejection(origin: "page \(url) line \(line)", reason: reason, raw: raw)))
            case .order(let order):
                let origin = "page \(url) record \(index + 1)"
                switch mapper.record(from: order, origin: origin) {
                case .success(let record): pending.append(.record(record))
                case .failure(let rejected):
                    pending.append(.rejected(Rejection(origin: origin, reason: rejected.reason, raw: order.compactText)))
                }
                state.advance(past: order, incremental: settings.incremental, mapper: mapper, highWater: &highWater,
                              latestBelievable: latestBelievable)
            }
        }
        if case .cursor(_, .some) = settings.incremental, let token = page.cursorToken {
            state.token = token
        }
    }

    /// The next page's absolute URL: the body's `NextPath=`, else a `Link: rel="next"` header.
    /// A page that names itself as next is the last (some feeds point their tail at itself).
    private func nextLink(of page: FeedPage, response: HTTPResponse, url: String) throws -> String? {
        guard let link = page.next ?? LinkHeader.target(rel: "next", in: response.headers.values("Link")) else { return nil }
        guard let resolved = FeedURL.resolve(link, against: response.url) else {
            throw ConnectorError("the next link \"\(link.prefix(200))\" on \(url) is not an http(s) URL; the feed's paging is broken", permanent: true)
        }
        guard isOnFeedServer(resolved) else {
            if !isOnFeedServer(response.url) {
                throw ConnectorError("\(url) redirected to \(response.url), another server than that of URL=; the walk does not go on there, so requests and credentials stay with the server of URL= (set URL= to the address the feed now answers at)", permanent: true)
            }
            throw ConnectorError("the next link on \(url) points to another server (\(FeedURL.origin(of: resolved) ?? resolved)); it is not followed, so requests and credentials stay with the server of URL=", permanent: true)
        }
        if resolved == url || resolved == response.url { return nil }
        guard !visited.contains(resolved) else {
            throw ConnectorError("the next link on \(url) leads back to \(resolved), a page already read in this poll; the feed's paging loops", permanent: true)
        }
        return resolved
    }

    /// Whether the walk asks the feed for what changed since a cursor it handed out
    /// (`CursorParameter=`).
    private var hasCursorToken: Bool {
        guard case .cursor = settings.incremental else { return false }
        return state.token != nil
    }

    /// Whether `url` is on the server of `URL=` (scheme, host and port): the only one that gets
    /// requests and credentials.
    private func isOnFeedServer(_ url: String) -> Bool {
        guard let origin = FeedURL.origin(of: url) else { return false }
        return origin == FeedURL.origin(of: settings.url)
    }

    /// Quarantines a page that could not be read (once while it stays broken) and returns the
    /// error that ends the poll; the runner backs off and the page is fetched again later.
    private func quarantine(_ url: String, reason: String, body: [UInt8]) throws -> ConnectorError {
        if memory.shouldQuarantine(url + "\n" + reason) {
            let raw = String(decoding: body.prefix(4096), as: UTF8.self)
            try context.deliver(Batch(source: source, items: [.rejected(Rejection(origin: "page \(url)", reason: reason, raw: raw))],
                                      nextCursor: nil))
        }
        return ConnectorError("page \(url) could not be read: \(reason); it is quarantined, orders before it are committed, and the connector backs off and fetches it again")
    }

    /// Commits `pending` and waits until it is committed.
    private func flush() throws {
        try flushAhead()
        try awaitCommit()
    }

    /// Starts committing `pending` on another thread, once the batches before it are committed,
    /// and returns while it commits.
    private func flushAhead() throws {
        try awaitCommit()
        let cursor = pendingCursor != committed ? pendingCursor : nil
        guard !pending.isEmpty || cursor != nil else { return }
        inFlight = CommitInFlight(batches(cursor: cursor), context: context)
        pending.removeAll(keepingCapacity: true)
        pendingCursor = nil
    }

    /// `pending` in batches of at most `BatchSize=` items, the cursor with the last.
    private func batches(cursor: Cursor?) -> [Batch] {
        let size = max(1, context.batchSize)
        var batches: [Batch] = []
        var start = 0
        while pending.count - start > size {
            batches.append(Batch(source: source, items: Array(pending[start..<(start + size)]), nextCursor: nil))
            start += size
        }
        batches.append(Batch(source: source, items: Array(pending[start...]), nextCursor: cursor))
        return batches
    }

    /// Waits for the batches in flight. When they could not be committed, what was read after
    /// them is dropped too: committing it would move the cursor past orders never stored. The
    /// next poll reads them again from the committed cursor.
    private func awaitCommit() throws {
        guard let commit = inFlight else { return }
        inFlight = nil
        do {
            try commit.wait()
        } catch {
            pending.removeAll()
            pendingCursor = nil
            throw error
        }
        if let cursor = commit.cursor { committed = cursor }
    }
}
