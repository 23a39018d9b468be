import Dispatch
import Foundation
import Synchronization

/// The one writer of the store. Every write — batches from any connector, poll results, admin
/// changes — runs on this serial queue, so transactions never interleave and the journal stays
/// gapless. Callers block until their transaction has committed (connectors run on their own
/// threads, so that is exactly the back-pressure they need).
///
/// When a write fails because of the medium (disk full, file system read-only, I/O error; see
/// `StoreFault`), the transaction has rolled back whole and the writer turns *faulted*: it lets
/// go of the file (so a file system can be unmounted and repaired), every `perform` throws the
/// fault at once, and on its own queue it probes — opens the store again and commits one tiny
/// write — after 1 s, 2 s, 4 s … at most 10 s apart, until a probe succeeds (after a full disk,
/// not before 4 MiB are free again). A fault that comes
/// back within a minute of a recovery goes on from the longer wait, so a nearly full disk is
/// not hammered. A damaged file is not probed: it needs a restore.
public final class StoreWriter: @unchecked Sendable {
    // @unchecked: `store`, `settings`, `probeDelay`, `recoveredAt` and `onHealthChange` are
    // touched only on `queue`; `published` has its own lock.
    private let queue = DispatchQueue(label: "custsync.store-writer")
    private let path: String
    private let now: @Sendable () -> Date
    private var onHealthChange: @Sendable (StoreFault?) -> Void = { _ in }
    private var settings: EngineSettings
    private var store: Store
    private var probeDelay = StoreWriter.firstProbeDelay
    private var recoveredAt: Date?
    private let published = Mutex(Published())

    static let firstProbeDelay: TimeInterval = 1
    static let maximumProbeDelay: TimeInterval = 10
    /// A fault within this long after a recovery continues the backoff instead of restarting it.
    static let flapWindow: TimeInterval = 60

    private enum Store {
        case open(Engine)
        case faulted(StoreFault)
    }

    private struct Published {
        var fault: StoreFault?
        var since: Date?
        var nextProbe: Date?
    }

    /// Opens the store; throws when it cannot (the daemon refuses to start then).
    public init(path: String, settings: EngineSettings, now: @escaping @Sendable () -> Date = { Date() }) throws {
        self.path = path
        self.now = now
        self.settings = settings
        store = .open(try Self.engine(on: StoreFile.openForWriting(path: path), settings: settings, now: now))
    }

    /// The engine on the store, with the keys the store holds read (see `KeyPresence`).
    private static func engine(on connection: SQLiteConnection, settings: EngineSettings,
                               now: @escaping @Sendable () -> Date) throws -> Engine {
        let engine = Engine(connection: connection, settings: settings, now: now)
        try engine.keyPresence()
        return engine
    }

    /// Applies `batch` in one transaction and returns once it has committed.
    public func apply(_ batch: Batch) throws -> BatchOutcome {
        try perform { try $0.apply(batch) }
    }

    /// Runs `body` with exclusive use of the engine. Throws the `StoreFault` while the store is
    /// faulted, and turns a failure of the medium inside `body` into one.
    public func perform<T>(_ body: (Engine) throws -> T) throws -> T {
        try queue.sync {
            let engine: Engine
            switch store {
            case .open(let open): engine = open
            case .faulted(let fault): throw fault
            }
            do {
                return try body(engine)
            } catch let error as StoreError {
                guard let fault = StoreFault(error, store: path) else { throw error }
                enterFault(fault)
                throw fault
            }
        }
    }

    /// Calls `handler` on the writer's queue with the new fault when the store turns faulted or
    /// its fault changes kind, and with nil when it recovers. `handler` must not call back into
    /// the writer.
    public func observeHealth(_ handler: @escaping @Sendable (StoreFault?) -> Void) {
        queue.sync { onHealthChange = handler }
    }

    /// Replaces the engine's settings after a configuration reload.
    public func update(settings: EngineSettings) {
        queue.sync {
            self.settings = settings
            if case .open(let engine) = store { engine.settings = settings }
        }
    }

    /// Whether the writer answers within `timeout`: a writer stuck in a transaction does not,
    /// and the watchdog then stops feeding systemd. A faulted writer answers: it is waiting,
    /// not stuck.
    public func ping(timeout: TimeInterval) -> Bool {
        let done = DispatchSemaphore(value: 0)
        queue.async { done.signal() }
        return done.wait(timeout: .now() + timeout) == .success
    }

    /// The fault that pauses ingestion, if any (from any thread, without waiting for a write).
    public var fault: StoreFault? { published.withLock { $0.fault } }

    /// The store's health for `syncctl status` (from any thread, without waiting for a write).
    public var health: StoreHealth {
        published.withLock { StoreHealth(fault: $0.fault, since: $0.since, nextProbe: $0.nextProbe) }
    }

    // MARK: faults (on `queue`)

    private func enterFault(_ fault: StoreFault) {
        dispatchPrecondition(condition: .onQueue(queue))
        store = .faulted(fault)
        if let recoveredAt, Date().timeIntervalSince(recoveredAt) < Self.flapWindow {
            probeDelay = min(Self.maximumProbeDelay, probeDelay * 2)
        } else {
            probeDelay = Self.firstProbeDelay
        }
        publish(fault, since: Date())
        onHealthChange(fault)
        scheduleProbe()
    }

    private func scheduleProbe() {
        guard case .faulted(let fault) = store, fault.mayPass else {
            published.withLock { $0.nextProbe = nil }
            return
        }
        let delay = probeDelay
        published.withLock { $0.nextProbe = Date().addingTimeInterval(delay) }
        queue.asyncAfter(deadline: .now() + delay) { [weak self] in self?.probe() }
    }

    /// Opens the store again and commits a write that changes nothing (the schema version,
    /// rewritten as it is: one page into the WAL, so a read-only disk fails it). That page may
    /// land where the WAL already has room, so after a full disk the probe also waits for
    /// `StoreFault.resumeFreeBytes` of free space.
    private func probe() {
        guard case .faulted(let old) = store else { return }
        if old.kind == .full, let free = StoreFault.freeBytes(near: path), free < StoreFault.resumeFreeBytes {
            return stillFaulted(StoreFault(kind: .full, store: path, freeBytes: free, detail: old.detail), was: old)
        }
        do {
            let connection = try StoreFile.openForWriting(path: path)
            try connection.transaction {
                let version = try connection.scalarInt("PRAGMA user_version") ?? 0
                try connection.execute("PRAGMA user_version=\(version)")
            }
            store = .open(try Self.engine(on: connection, settings: settings, now: now))
            recoveredAt = Date()
            publish(nil, since: nil)
            onHealthChange(nil)
        } catch {
            stillFaulted((error as? StoreError).flatMap { StoreFault($0, store: path) }
                         ?? StoreFault(kind: .damaged, store: path, detail: "\(error)"), was: old)
        }
    }

    private func stillFaulted(_ fault: StoreFault, was old: StoreFault) {
        store = .faulted(fault)
        published.withLock { $0.fault = fault }
        if fault.kind != old.kind { onHealthChange(fault) }
        probeDelay = min(Self.maximumProbeDelay, probeDelay * 2)
        scheduleProbe()
    }

    private func publish(_ fault: StoreFault?, since: Date?) {
        published.withLock { $0 = Published(fault: fault, since: since, nextProbe: nil) }
    }
}
