import Foundation

/// Files of `incoming/` that inotify saw an uploader create or write to and not yet close
/// (`IN_CREATE`/`IN_MODIFY` without a later `IN_CLOSE_WRITE`, `IN_MOVED_TO` or removal), and
/// files that were there before the watch began, whose writes and close nobody saw.
///
/// This is how a stalled upload is told from a finished one when the kernel cannot be asked
/// directly: the read lease that answers "is it open for writing?" needs CAP_LEASE for a file
/// the daemon does not own, which the shipped unit does not grant. A writer that dies is closed
/// by the kernel, so only a live writer (or a file linked into place, which is never "closed")
/// keeps a file here; the latter is why `patience` exists. A file found at the start (the daemon
/// restarted while it was uploaded, or the watch was set up again after an error) may be half
/// written just as well: it waits for its close, or for `patience`, too.
struct UnfinishedWrites {
    /// How long an unclosed file must have been quiet before it is taken anyway (with a warning):
    /// longer than any upload stalls and still goes on, short enough that a file linked into
    /// place (`link`, then `unlink` of the temporary name) is not left waiting for ever.
    static let patience: TimeInterval = 600

    /// Each file seen written to, with when it last was.
    private var open: [DropFileName: Date] = [:]
    private var foundAtStart: Set<DropFileName> = []
    private let start: Date

    /// The files in `incoming/` when the watch began, at `start`.
    init(foundAtStart names: [DropFileName] = [], at start: Date = Date()) {
        foundAtStart = Set(names)
        self.start = start
    }

    /// A writer created the file or wrote to it.
    mutating func began(_ name: DropFileName, at now: Date = Date()) {
        open[name] = now
        foundAtStart.remove(name)
    }

    /// The writer closed the file, or it was renamed into place, or it left `incoming/`.
    mutating func ended(_ name: DropFileName) {
        open[name] = nil
        foundAtStart.remove(name)
    }

    /// Events were lost (the kernel's queue overflowed): what was seen before cannot be trusted.
    mutating func forgetAll() { open.removeAll() }

    /// Seen written to and not closed since.
    func contains(_ name: DropFileName) -> Bool { open[name] != nil }

    /// How long a file modified at `modified` (seconds since 1970) has been quiet: since then,
    /// or, when that is ahead of our clock (an uploader's clock kept by `cp -p` or `rsync -t`, a
    /// file server's), since the last write seen or the start of the watch.
    func quiet(_ name: DropFileName, modified: Double, now: Date = Date()) -> TimeInterval {
        let sinceModified = now.timeIntervalSince1970 - modified
        return sinceModified >= 0 ? sinceModified : now.timeIntervalSince(open[name] ?? start)
    }

    /// There before the watch began, and no close or rename of it seen since.
    func wasFoundAtStart(_ name: DropFileName) -> Bool { foundAtStart.contains(name) }
}
