import CustSyncConnectors
import CustSyncCore
import Foundation

/// Schedules one connector on a thread of its own: poll, wait `Interval=` plus jitter, poll
/// again; on failure back off exponentially up to `BackoffMax=`. A slow or failing connector
/// only ever delays itself. While the store takes no writes (`StoreWriter.fault`), no poll
/// starts; a poll the fault broke is not the connector's failure and runs again as soon as the
/// store recovers. Intervals and backoffs run on the monotonic clock, so the system clock
/// stepping back does not stall the schedule; only `syncctl status` shows wall-clock times.
final class ConnectorRunner: @unchecked Sendable {
    /// Failed polls in a row after which a connector is `failing` rather than `backing-off`.
    static let failingAfter = 3

    // @unchecked: every mutable property below is read and written under `condition`.
    private typealias Instant = ContinuousClock.Instant
    let configuration: ConnectorConfiguration
    private let connector: any Connector
    private let writer: StoreWriter
    private let logger: Logger
    private let condition = MonotonicCondition()
    private var state: RunnerState
    private var nextPoll: Instant?
    private var failures = 0
    private var stopping = false
    private var pollRequested = false
    private var paused = false
    private var context: PollContext?
    /// When the poll in flight is past its `Timeout=`.
    private var pollDeadline: Instant?
    private var finished = false
    private var heartbeat = ContinuousClock.now
    /// Quarantine entries retried by an operator: waiting for a poll, and settled by the poll
    /// in flight (see `requestRetry`).
    private var retryPending: Set<Int64> = []
    private var retrySettling: [Int64] = []
    /// The runner this one replaces, while its poll still runs (see `start(after:)`).
    private var predecessor: ConnectorRunner?
    /// What to run once the loop has ended (see `whenFinished`).
    private var finishActions: [@Sendable () -> Void] = []

    init(configuration: ConnectorConfiguration, connector: any Connector, writer: StoreWriter, logger: Logger) {
        self.configuration = configuration
        self.connector = connector
        self.writer = writer
        self.logger = logger
        self.state = configuration.enabled ? .idle : .disabled
    }

    var name: String { configuration.name }

    /// What the connector has seen and not taken yet (from any thread).
    var waitingFiles: [WaitingFile] { connector.waitingFiles }

    /// Starts the loop. `predecessor` is the runner of the same connector this one replaces
    /// (after a reload) if its poll outlived `stop(until:)`: no poll starts here before that
    /// one has ended, or two polls of one connector would run at once (two csv-drop watchers
    /// claiming files from one folder, the older poll moving the cursor back when it commits).
    func start(after predecessor: ConnectorRunner? = nil) {
        guard configuration.enabled else {
            condition.withLock { finished = true }
            return
        }
        if let predecessor, !predecessor.isFinished {
            condition.withLock { self.predecessor = predecessor }
            logger.notice("connector.waiting-for-previous-poll",
                          [("connector", name),
                           ("reason", "a poll under the previous configuration is still running; the next starts once it has ended")])
            predecessor.whenFinished { [self] in
                condition.withLock { self.predecessor = nil; condition.broadcast() }
            }
        }
        // Retries a previous run of the daemon asked for are settled by this run's first poll.
        let waiting = (try? writer.perform { try AdminWriter(connection: $0.connection).retrying(source: name) }) ?? []
        condition.withLock {
            retryPending.formUnion(waiting)
            nextPoll = .now
        }
        let thread = Thread { [self] in
            ThreadName.set("conn \(name)")
            loop()
        }
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
            let remaining = deadline.timeIntervalSinceNow
            guard remaining > 0 else { return false }
            // In slices: `deadline` is wall-clock time, which may step meanwhile.
            condition.wait(seconds: min(remaining, 1))
        }
        return true
    }

    /// The loop has ended: no poll of this runner runs, nor will.
    var isFinished: Bool { condition.withLock { finished } }

    /// Runs `action` once the loop has ended (at once if it has), on the thread that ends it.
    func whenFinished(_ action: @escaping @Sendable () -> Void) {
        let ended = condition.withLock {
            if !finished { finishActions.append(action) }
            return finished
        }
        if ended { action() }
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
    func snapshot() -> (state: RunnerState, nextPoll: Date?, failures: Int) {
        let storeFaulted = writer.fault != nil
        return condition.withLock {
            // The connector's previous poll still runs: that is what it is doing.
            if predecessor != nil { return (.polling, nil, failures) }
            if storeFaulted && !paused && (state == .idle || state == .backingOff || state == .failing) {
                return (.waitingForStore, nil, failures)
            }
            let shown = nextPoll.map { Date().addingTimeInterval(ContinuousClock.now.duration(to: $0).seconds) }
            return (state, paused || state == .disabled || state == .polling ? nil : shown, failures)
        }
    }

    /// False when the loop neither ticks nor is inside a poll that is still within its timeout.
    func isMakingProgress(grace: TimeInterval) -> Bool {
        let now = ContinuousClock.now
        return condition.withLock {
            if finished { return true }
            if let pollDeadline { return now < pollDeadline.advanced(by: .seconds(grace)) }
            return heartbeat.duration(to: now).seconds < grace
        }
    }

    private func loop() {
        while let context = waitForTurn() {
            let outcome = runPoll(context)
            condition.withLock {
                self.context = nil
                pollDeadline = nil
                heartbeat = .now
                switch outcome {
                case .success:
                    retrySettling = []
                    failures = 0
                    state = paused ? .paused : .idle
                    nextPoll = .now + .seconds(configuration.interval + Double.random(in: 0...max(0, configuration.jitter)))
                case .stopped:
                    retryPending.formUnion(retrySettling)
                    retrySettling = []
                case .storeFault:
                    retryPending.formUnion(retrySettling)
                    retrySettling = []
                    state = paused ? .paused : .idle
                    nextPoll = .now
                case .failure(let error):
                    retryPending.formUnion(retrySettling)
                    retrySettling = []
                    failures += 1
                    let exponent = Double(min(failures - 1, 30))
                    let delay = min(configuration.backoffMax, configuration.backoff * pow(2, exponent))
                    nextPoll = .now + .seconds(delay * Double.random(in: 0.8...1.0))
                    state = (error.isPermanent || failures >= Self.failingAfter) ? .failing : .backingOff
                }
            }
        }
        let actions = condition.withLock {
            finished = true
            condition.broadcast()
            defer { finishActions = [] }
            return finishActions
        }
        actions.forEach { $0() }
    }

    /// Waits until the next poll is due; nil once the runner is stopping.
    private func waitForTurn() -> PollContext? {
        condition.lock()
        defer { condition.unlock() }
        while !stopping {
            let now = ContinuousClock.now
            heartbeat = now
            let due = nextPoll.map { now >= $0 } ?? false
            // The writer probes the store on its own; a poll now would only fail again.
            let storeTakesWrites = writer.fault == nil
            if predecessor == nil && storeTakesWrites && (pollRequested || (!paused && due)) {
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
                pollDeadline = now + .seconds(configuration.timeout)
                return context
            }
            // Wake for the next poll, else once a second: the heartbeat, and a pause or a store
            // fault that may have ended (the end of a predecessor's poll wakes it at once).
            // (A due poll held back must not make this a busy loop.)
            var wait = 1.0
            if predecessor == nil && storeTakesWrites && !paused, let nextPoll { wait = min(wait, now.duration(to: nextPoll).seconds) }
            condition.wait(seconds: wait)
        }
        return nil
    }

    private enum Outcome { case success, stopped, storeFault, failure(ConnectorError) }

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
            if let fault = error as? StoreFault ?? writer.fault {
                logger.warning("poll.paused", [("connector", name), ("store", fault.kind.rawValue)])
                return .storeFault
            }
            let failure = error as? ConnectorError ?? ConnectorError("\(error)")
            logger.warning("poll.failed", [("connector", name), ("error", failure.message)])
            try? writer.perform { try $0.recordPollFailure(connector: name, message: failure.message) }
            return .failure(failure)
        }
    }
}
