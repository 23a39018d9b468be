import CustSyncCore
import Foundation

/// Fetches one page of an order feed with its retry rules:
/// - connection errors, timeouts and 5xx are retried up to `Retries=` times, waiting
///   `RetryDelay=` doubled on each attempt (capped at `RetryDelayMax=`) with random jitter;
/// - 429 and 503 wait what `Retry-After` asks; a wait past the poll's deadline ends the poll and
///   is remembered, so the feed is not asked again before then;
/// - certificate errors, refused credentials and other 4xx are not retried: retrying cannot fix them
///   (404 and 410 are reported as gone, for the caller to decide);
/// - a truncated or undecodable body is reported as malformed, for the caller to quarantine.
/// Waits never pass the poll's deadline and end early when the poll is asked to stop.
final class FeedPageFetcher {
    enum Outcome {
        case page(HTTPResponse)
        case notModified
        case malformed(reason: String)
        /// 404 or 410: nothing is at `url` (any more); the error to end the poll with.
        case gone(status: Int, error: ConnectorError)
    }

    private let settings: FeedSettings
    private let transfer: HTTPTransfer
    private let authentication: HTTPAuthentication?
    private let context: PollContext
    private let log: (String) -> Void
    /// Called when the feed asks for a pause longer than the poll may wait.
    private let pauseRequested: (Date, String) -> Void

    init(settings: FeedSettings, transfer: HTTPTransfer, authentication: HTTPAuthentication?, context: PollContext,
         log: @escaping (String) -> Void, pauseRequested: @escaping (Date, String) -> Void) {
        self.settings = settings
        self.transfer = transfer
        self.authentication = authentication
        self.context = context
        self.log = log
        self.pauseRequested = pauseRequested
    }

    func fetch(_ url: String, ifNoneMatch etag: String?) throws -> Outcome {
        var headers = ["Accept: application/json, application/x-ndjson;q=0.9, */*;q=0.1"]
        if let etag { headers.append("If-None-Match: \(etag)") }
        var attempt = 0
        while true {
            if context.stopWasRequested { throw PollStopped() }
            let remaining = context.deadline.timeIntervalSinceNow
            guard remaining > 0 else { throw deadlineReached(url) }
            let response: HTTPResponse
            do {
                response = try transfer.get(url, headers: headers, authentication: authentication,
                                            timeout: min(settings.pageTimeout, remaining),
                                            shouldCancel: { [context] in context.stopWasRequested })
            } catch {
                switch error.kind {
                case .cancelled:
                    throw PollStopped()
                case .certificate, .tooLarge, .redirectRefused, .setup:
                    throw ConnectorError(error.description, permanent: true)
                case .truncated, .badEncoding:
                    return .malformed(reason: error.description)
                case .timeout where context.deadline.timeIntervalSinceNow <= 0:
                    throw deadlineReached(url)
                case .connection, .timeout, .tls, .other:
                    try wait(after: error.description, url: url, attempt: &attempt, requested: nil)
                    continue
                }
            }
            switch response.status {
            case 200..<300:
                return .page(response)
            case 304:
                return .notModified
            case 429, 503:
                let asked = response.headers["Retry-After"].flatMap { RetryAfter.delay($0) }
                let wanted = asked.map { " (Retry-After: \(ConfigValueParser.formatDuration($0)))" } ?? ""
                try wait(after: "HTTP \(response.status) from \(url)\(wanted)", url: url, attempt: &attempt, requested: asked)
            case 500...599, 408:
                try wait(after: "HTTP \(response.status) from \(url)", url: url, attempt: &attempt, requested: nil)
            case let status where (status == 401 || status == 403) && FeedURL.origin(of: response.url) != FeedURL.origin(of: url):
                // libcurl sends credentials only to the server asked; a redirect elsewhere goes without.
                throw ConnectorError("HTTP \(response.status) from \(response.url), where \(url) redirected to: credentials are only sent to the server of URL=, not to another one a redirect leads to (set URL= to the address the feed now answers at)", permanent: true)
            case 401, 403:
                throw ConnectorError("the feed refused the credentials with HTTP \(response.status) for \(url) (check Auth= and the content of the credential file; a 403 may also mean the account lacks access to the orders)", permanent: true)
            case 404, 410:
                return .gone(status: response.status, error: ConnectorError("HTTP \(response.status) from \(url): the feed is not at this address (check URL=; a next link the feed gave may have expired)", permanent: true))
            default:
                throw ConnectorError("HTTP \(response.status) from \(url): the feed refused the request (check URL= and the query parameters)", permanent: true)
            }
        }
    }

    /// Waits before the next attempt, or throws when attempts are used up or the wait would
    /// pass the poll's deadline. `requested` is the server's `Retry-After`, honoured as given.
    private func wait(after problem: String, url: String, attempt: inout Int, requested: TimeInterval?) throws {
        guard attempt < settings.retries else {
            let message = "\(problem); gave up after \(attempt + 1) attempts, the connector backs off and retries the page later"
            // The feed's Retry-After outlives this poll: the next one must not come sooner.
            if let requested { pauseRequested(Date().addingTimeInterval(requested), message) }
            throw ConnectorError(message)
        }
        attempt += 1
        let delay: TimeInterval
        if let requested {
            delay = requested
        } else {
            let exponential = settings.retryDelay * pow(2, Double(attempt - 1))
            delay = min(settings.retryDelayMax, exponential) * Double.random(in: 0.5...1.0)
        }
        let resume = Date().addingTimeInterval(delay)
        if resume >= context.deadline {
            if let requested {
                let message = "the feed asked to wait \(ConfigValueParser.formatDuration(requested)) (Retry-After) after \(problem), longer than this poll may run; the next poll waits until then"
                pauseRequested(resume, message)
                throw ConnectorError(message)
            }
            throw deadlineReached(url)
        }
        let total = settings.retries + 1
        log("retrying \(url) in \(ConfigValueParser.formatDuration(delay))\(requested != nil ? " (Retry-After)" : ""), attempt \(attempt + 1) of \(total): \(problem)")
        try sleep(until: resume)
    }

    /// Sleeps in short steps so that a stop request is noticed promptly.
    private func sleep(until resume: Date) throws {
        while true {
            if context.stopWasRequested { throw PollStopped() }
            let left = resume.timeIntervalSinceNow
            if left <= 0 { return }
            Thread.sleep(forTimeInterval: min(left, 0.1))
        }
    }

    private func deadlineReached(_ url: String) -> ConnectorError {
        ConnectorError("the poll reached its Timeout= before \(url) was read; orders up to the previous page are committed and the next poll resumes there (raise Timeout= in [Connector] if the feed is merely slow)")
    }
}
