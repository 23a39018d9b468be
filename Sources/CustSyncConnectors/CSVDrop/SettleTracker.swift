import Foundation

/// Files waiting in `incoming/`, and when each may be taken: once its size and modification
/// time have stayed the same for `settleTime` (counted from the modification time, or from when
/// it was first seen unchanged if its clock is ahead of ours), and, in marker mode, once its
/// marker exists.
///
/// A file still being written keeps moving its mtime forward, so it is not taken early whether
/// or not its writer closes it between chunks.
struct SettleTracker {
    struct Candidate {
        var status: DropFileStatus
        /// When this (size, mtime) was first seen.
        var since: Date
        var hasMarker: Bool
    }

    let settleTime: TimeInterval
    let markerMode: Bool
    private(set) var candidates: [DropFileName: Candidate] = [:]

    init(settleTime: TimeInterval, markerMode: Bool) {
        self.settleTime = settleTime
        self.markerMode = markerMode
    }

    var isEmpty: Bool { candidates.isEmpty }

    /// Records what `lstat` says about a regular file now.
    mutating func observe(_ name: DropFileName, status: DropFileStatus, hasMarker: Bool, now: Date) {
        if var known = candidates[name], known.status.looksUnchanged(since: status) {
            known.hasMarker = hasMarker
            candidates[name] = known
        } else {
            candidates[name] = Candidate(status: status, since: now, hasMarker: hasMarker)
        }
    }

    mutating func remove(_ name: DropFileName) {
        candidates[name] = nil
    }

    /// Forgets every file not in `present` (after a full listing).
    mutating func keepOnly(_ present: Set<DropFileName>) {
        candidates = candidates.filter { present.contains($0.key) }
    }

    func readyDate(of candidate: Candidate) -> Date? {
        if markerMode && !candidate.hasMarker { return nil }
        let modified = Date(timeIntervalSince1970: candidate.status.modified)
        let stableFrom = modified <= candidate.since ? modified : candidate.since
        return stableFrom.addingTimeInterval(settleTime)
    }

    /// The files that may be taken now, oldest first.
    func ready(at now: Date) -> [(name: DropFileName, status: DropFileStatus)] {
        candidates.compactMap { name, candidate -> (DropFileName, DropFileStatus)? in
            guard let date = readyDate(of: candidate), date <= now else { return nil }
            return (name, candidate.status)
        }.sorted { a, b in
            a.1.modified != b.1.modified ? a.1.modified < b.1.modified : a.0.bytes.lexicographicallyPrecedes(b.0.bytes)
        }
    }

    /// The earliest moment a waiting file may become ready, if any is waiting.
    var nextReadyDate: Date? {
        candidates.values.compactMap(readyDate(of:)).min()
    }
}
