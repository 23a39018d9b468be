import Foundation
import Synchronization

/// What an order-feed connector remembers between polls, in memory only (losing it on a
/// restart is harmless): a pause the feed asked for with `Retry-After`, and the page last
/// quarantined, so a page that stays broken is quarantined once rather than on every retry.
final class FeedMemory: Sendable {
    private struct State {
        var pausedUntil: Date?
        var pauseReason = ""
        var lastQuarantined: String?
    }

    private let state = Mutex(State())

    func pause(until date: Date, reason: String) {
        state.withLock { $0.pausedUntil = date; $0.pauseReason = reason }
    }

    /// The pause still in force, if any.
    func pause(now: Date = Date()) -> (until: Date, reason: String)? {
        state.withLock { state in
            guard let until = state.pausedUntil, until > now else { return nil }
            return (until, state.pauseReason)
        }
    }

    /// True, and remembered, unless `page` was the last page quarantined.
    func shouldQuarantine(_ page: String) -> Bool {
        state.withLock { state in
            guard state.lastQuarantined != page else { return false }
            state.lastQuarantined = page
            return true
        }
    }

    /// A walk finished: a page that breaks again later is news again.
    func walkCompleted() {
        state.withLock { $0.lastQuarantined = nil }
    }
}
