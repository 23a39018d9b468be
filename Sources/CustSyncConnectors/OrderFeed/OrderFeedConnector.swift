import CustSyncCore
import Foundation

/// Reads orders from a shop's or ERP's HTTP feed (`Kind=order-feed`, configured in `[Feed]` and
/// `[Mapping]`). Each poll walks the feed from the committed cursor to its last page
/// (`FeedWalk`), fetching pages through libcurl with retries (`FeedPageFetcher`) and turning
/// each order into a customer record carrying the order as an interaction (`OrderMapper`).
/// Orders commit with the cursor past their page, so a crash loses nothing and duplicates
/// nothing; a page that cannot be read is quarantined with its URL and the connector backs off.
public final class OrderFeedConnector: Connector {
    public let name: String
    let settings: FeedSettings
    let userAgent: String
    let environment: [String: String]
    let log: @Sendable (String) -> Void
    private let mapper: OrderMapper
    private let parser: FeedPageParser
    private let memory = FeedMemory()

    /// - Parameters:
    ///   - userAgent: sent with every request, e.g. `custsync/1.0`.
    ///   - environment: where `$CREDENTIALS_DIRECTORY` is looked up.
    ///   - log: for retries and other notable events; never given a secret.
    public init(name: String, settings: FeedSettings, userAgent: String,
                environment: [String: String] = ProcessInfo.processInfo.environment,
                log: @escaping @Sendable (String) -> Void = { _ in }) {
        self.name = name
        self.settings = settings
        self.userAgent = userAgent
        self.environment = environment
        self.log = log
        self.mapper = OrderMapper(mapping: settings.mapping)
        self.parser = FeedPageParser(settings: settings)
    }

    var transferOptions: TransferOptions {
        TransferOptions(connectTimeout: settings.connectTimeout, timeout: settings.pageTimeout,
                        lowSpeedLimit: settings.lowSpeedLimit, lowSpeedTime: settings.lowSpeedTime,
                        maxResponseSize: settings.maxResponseSize, caFile: settings.caFile, userAgent: userAgent)
    }

    public func poll(from cursor: Cursor?, context: PollContext) throws {
        do {
            try waitForRequestedPause(context)
            var state = FeedCursor()
            if let cursor {
                if let stored = FeedCursor(cursor) {
                    state = stored
                } else {
                    log("the stored cursor is not an order-feed cursor; reading the feed from its first page (orders already applied are recognised and change nothing)")
                }
            }
            let authentication = try FeedCredentials.authentication(for: settings.authentication, environment: environment)
            let transfer: HTTPTransfer
            do {
                transfer = try HTTPTransfer(options: transferOptions)
            } catch {
                throw ConnectorError(error.description, permanent: true)
            }
            let fetcher = FeedPageFetcher(settings: settings, transfer: transfer, authentication: authentication,
                                          context: context, log: log) { [memory] until, reason in
                memory.pause(until: until, reason: reason)
            }
            let walk = FeedWalk(source: name, settings: settings, mapper: mapper, parser: parser, fetcher: fetcher,
                                context: context, memory: memory, state: state, committed: cursor, log: log)
            try walk.run()
        } catch is PollStopped {
            return
        }
    }

    /// Honours a `Retry-After` from an earlier poll: waits it out if it ends within this poll,
    /// else fails this poll without asking the feed.
    private func waitForRequestedPause(_ context: PollContext) throws {
        guard let (until, reason) = memory.pause() else { return }
        guard until < context.deadline else {
            throw ConnectorError("\(reason) (until \(ISO8601.string(until)))")
        }
        while Date() < until {
            if context.stopWasRequested { throw PollStopped() }
            Thread.sleep(forTimeInterval: min(0.1, max(0, until.timeIntervalSinceNow)))
        }
    }
}
