import CustSyncCore
import Foundation
import Synchronization

/// What a running poll may do: deliver batches to the writer, and learn that it should stop
/// (daemon shutdown, reload, or its timeout).
public final class PollContext: Sendable {
    public let connector: String
    public let deadline: Date
    public let batchSize: Int
    private let deliverBatch: @Sendable (Batch) throws -> BatchOutcome
    private let completedContent: @Sendable (String) throws -> Bool
    private let stopRequested = Atomic<Bool>(false)

    /// - Parameter hasCompletedContent: whether a committed batch of this connector recorded
    ///   the given content hash as completed (`Batch.completedContent`).
    public init(connector: String, deadline: Date, batchSize: Int,
                hasCompletedContent: @escaping @Sendable (String) throws -> Bool = { _ in false },
                deliver: @escaping @Sendable (Batch) throws -> BatchOutcome) {
        self.connector = connector
        self.deadline = deadline
        self.batchSize = batchSize
        self.completedContent = hasCompletedContent
        self.deliverBatch = deliver
    }

    /// Commits `batch` and returns what it did; throws if the store refused it.
    @discardableResult
    public func deliver(_ batch: Batch) throws -> BatchOutcome { try deliverBatch(batch) }

    /// Whether content with this hash was already read to its end by this connector (committed).
    public func hasCompletedContent(_ hash: String) throws -> Bool { try completedContent(hash) }

    /// Asks the poll to finish the batch in flight and return.
    public func requestStop() { stopRequested.store(true, ordering: .relaxed) }

    /// True once the poll should stop: shutdown was requested or the deadline passed.
    public var shouldStop: Bool { stopRequested.load(ordering: .relaxed) || Date() >= deadline }
    public var stopWasRequested: Bool { stopRequested.load(ordering: .relaxed) }
}
