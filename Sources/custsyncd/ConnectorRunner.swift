import CustSyncConnectors
import CustSyncCore
import Foundation

/// Schedules one connector on a thread of its own: poll, wait `Interval=` plus jitter, poll
/// again; on failure back off exponentially up to `BackoffMax=`. A slow or failing connector
/// only ever delays itself.
final class ConnectorRunner: @unchecked Sendable {
    // @unchecked: every mutable property below is read and written under `condition`.
    let configuration: ConnectorConfiguration
    private let connector: any Connector
    private let writer: StoreWriter
    private let logger: Logger
    private let condition = NSCondition()
    private var state: RunnerState
    private var nextPoll: Date?
    private var failures = 0
    private var stopping = false
    private var pollRequested = false
    private var paused = false
    private var context: PollContext?
    private var finished = false
    private var heartbeat = Date()
    /// Quarantine entries retried by an operator: waiting for a poll, and settled by the poll
    /// in flight (see `requestRetry`).
    private var retryPending: Set<Int64> = []
    private var retrySettling: [Int64] = []

    init(configuration: ConnectorConfiguration, connector: any Connector, writer: StoreWriter, logger: Logger) {
        self.configuration = configuration
        self.connector = connector
        self.writer = writer
        self.logger = logger
        self.state = configuration.enabled ? .idle : .disabled
    }

    var name: String { configuration.name }

    func start() {
        guard configuration.enabled else {
            condition.withLock { finished = true }
            return
        }
        // Retries a previous run of the daemon asked for are settled by this run's first poll.
        let waiting = (try? writer.perform { try AdminWriter(connection: $0.connection).retrying(source: name) }) ?? []
        condition.withLock {
            retryPending.formUnion(waiting)
            nextPoll = Date()
        }
        let thread = Thread { [self] in loop() }
        thread.name = "connector \(name)"
        thread.start()
    }

    /// Asks the loop to finish the batch in flight and stop; true if it did by `deadline`.
    @discardableResult
    func stop(until deadline: Date) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        stopping = true
        context?.requestStop()
        condition.broadcast()
        while !finished {
            if !condition.wait(until: deadline) { return finished }
        }
        return true
    }

    /// Polls now, once, even when paused (pausing stops the schedule, not an operator).
    func pollNow() { condition.withLock { pollRequested = true; condition.broadcast() } }
    func pause() { condition.withLock { paused = true; if state != .polling { state = .paused } } }
    func resume() { condition.withLock { paused = false; if state == .paused { state = .idle }; condition.broadcast() } }

    /// Polls now for quarantine entries `ids` (already marked `retrying`): the first poll that
    /// starts after this call and succeeds closes each of them, or marks it `superseded` when
    /// it rejected the same origin again. A failed poll leaves them for the next one.
    func requestRetry(_ ids: [Int64]) {
        condition.withLock {
            retryPending.formUnion(ids)
            pollRequested = true
            condition.broadcast()
        }
    }

    /// The runtime half of this connector's status.
    func snapshot() -> (state: RunnerState, nextPoll: Date?) {
        condition.withLock { (state, paused || state == .disabled || state == .polling ? nil : nextPoll) }
    }

    /// False when the loop neither ticks nor is inside a poll that is still within its timeout.
    func isMakingProgress(now: Date = Date(), grace: TimeInterval) -> Bool {
        condition.withLock {
            if finished { return true }
            if let context { return now < context.deadline.addingTimeInterval(grace) }
            return now.timeIntervalSince(heartbeat) < grace
        }
    }

    private func loop() {
        while let context = waitForTurn() {
            let outcome = runPoll(context)
            condition.withLock {
                self.context = nil
                heartbeat = Date()
                switch outcome {
                case .success:
                    retrySettling = []
                    failures = 0
                    state = paused ? .paused : .idle
                    nextPoll = Date().addingTimeInterval(configuration.interval + Double.random(in: 0...max(0, configuration.jitter)))
                case .stopped:
                    retryPending.formUnion(retrySettling)
                    retrySettling = []
                case .failure(let error):
                    retryPending.formUnion(retrySettling)
                    retrySettling = []
                    failures += 1
                    let exponent = Double(min(failures - 1, 30))
                    let delay = min(configuration.backoffMax, configuration.backoff * pow(2, exponent))
                    nextPoll = Date().addingTimeInterval(delay * Double.random(in: 0.8...1.0))
                    state = (error.isPermanent || failures >= 3) ? .failing : .backingOff
                }
            }
        }
        condition.withLock { finished = true; condition.broadcast() }
    }

    /// Waits until the next poll is due; nil once the runner is stopping.
    private func waitForTurn() -> PollContext? {
        condition.lock()
        defer { condition.unlock() }
        while !stopping {
            heartbeat = Date()
            let due = nextPoll.map { Date() >= $0 } ?? false
            if pollRequested || (!paused && due) {
                pollRequested = false
                retrySettling = retryPending.sorted()
                retryPending.removeAll()
                state = .polling
                let context = PollContext(
                    connector: name, deadline: Date().addingTimeInterval(configuration.timeout),
                    batchSize: configuration.batchSize,
                    hasCompletedContent: { [writer, name] hash in
                        try writer.perform { try $0.hasCompletedContent(source: name, hash: hash) }
                    }
                ) { [writer] batch in try writer.apply(batch) }
                self.context = context
                return context
            }
            let wake = min(nextPoll ?? .distantFuture, Date().addingTimeInterval(1))
            _ = condition.wait(until: wake)
        }
        return nil
    }

    private enum Outcome { case success, stopped, failure(ConnectorError) }

    private func runPoll(_ context: PollContext) -> Outcome {
        let started = Date()
        do {
            let cursor = try writer.perform { try $0.cursor(for: name) }
            try connector.poll(from: cursor, context: context)
            if context.stopWasRequested { return .stopped }
            try writer.perform { try $0.recordPollSuccess(connector: name) }
            let settling = condition.withLock { retrySettling }
            if !settling.isEmpty {
                let settled = try writer.perform {
                    try AdminWriter(connection: $0.connection).settleRetries(ids: settling, source: name, pollStarted: started)
                }
                logger.notice("quarantine.settled", [("connector", name),
                                                     ("closed", settled.closed.map(String.init).joined(separator: ",")),
                                                     ("superseded", settled.superseded.map(String.init).joined(separator: ","))])
            }
            logger.debug("poll.done", [("connector", name), ("seconds", String(format: "%.3f", Date().timeIntervalSince(started)))])
            return .success
        } catch {
            if context.stopWasRequested { return .stopped }
            let failure = error as? ConnectorError ?? ConnectorError("\(error)")
            logger.warning("poll.failed", [("connector", name), ("error", failure.message)])
            try? writer.perform { try $0.recordPollFailure(connector: name, message: failure.message) }
            return .failure(failure)
        }
    }
}
