import Dispatch
import Foundation

/// The one writer of the store. Every write — batches from any connector, poll results, admin
/// changes — runs on this serial queue, so transactions never interleave and the journal stays
/// gapless. Callers block until their transaction has committed (connectors run on their own
/// threads, so that is exactly the back-pressure they need).
public final class StoreWriter: @unchecked Sendable {
    // @unchecked: `engine` is touched only on `queue`.
    private let queue = DispatchQueue(label: "custsync.store-writer")
    private let engine: Engine

    public init(path: String, settings: EngineSettings, now: @escaping @Sendable () -> Date = { Date() }) throws {
        engine = Engine(connection: try StoreFile.openForWriting(path: path), settings: settings, now: now)
    }

    /// Applies `batch` in one transaction and returns once it has committed.
    public func apply(_ batch: Batch) throws -> BatchOutcome {
        try perform { try $0.apply(batch) }
    }

    /// Runs `body` with exclusive use of the engine.
    public func perform<T>(_ body: (Engine) throws -> T) throws -> T {
        try queue.sync {
            return try body(engine)
        }
    }

    /// Replaces the engine's settings after a configuration reload.
    public func update(settings: EngineSettings) {
        queue.sync { engine.settings = settings }
    }

    /// Whether the writer answers within `timeout`: a writer stuck in a transaction does not,
    /// and the watchdog then stops feeding systemd.
    public func ping(timeout: TimeInterval) -> Bool {
        let done = DispatchSemaphore(value: 0)
        queue.async { done.signal() }
        return done.wait(timeout: .now() + timeout) == .success
    }
}
