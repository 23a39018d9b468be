import CustSyncCore
import Foundation

/// Batches being committed on another thread while the connector reads on (the feed walk its
/// next pages, a drop-folder import its next rows): reading and writing take turns no longer.
/// At most one is in flight, and the connector waits for it before it commits anything else,
/// so batches commit in order.
final class CommitInFlight: @unchecked Sendable {
    /// The cursor the last batch commits, if any.
    let cursor: Cursor?
    private let done = DispatchSemaphore(value: 0)
    /// Written once on the committing thread before `done` is signalled; read after the wait.
    private var failure: Error?

    init(_ batches: [Batch], context: PollContext) {
        cursor = batches.last?.nextCursor
        DispatchQueue.global(qos: .userInitiated).async { [self] in
            do {
                for batch in batches { try context.deliver(batch) }
            } catch {
                failure = error
            }
            done.signal()
        }
    }

    /// Waits until the batches are committed; rethrows what stopped them.
    func wait() throws {
        done.wait()
        if let failure { throw failure }
    }
}
