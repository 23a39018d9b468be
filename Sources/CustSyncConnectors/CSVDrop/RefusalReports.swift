/// The refusals this process has committed but not yet moved to `rejected/`. An entry whose move
/// keeps failing is tried again on every poll; without this memory each try would quarantine and
/// journal it again. An entry is known by its name, device, inode and reason, so another entry
/// under the same name, or the same one refused for another reason, is reported anew; it is
/// forgotten once it has moved. Nothing of this survives a restart: a stop between the commit
/// and the move reports the entry once more, which is all it can cost.
struct RefusalReports {
    struct Entry: Hashable {
        var name: DropFileName
        var device: UInt64
        var inode: UInt64
        var reason: String

        init(_ name: DropFileName, status: DropFileStatus, reason: String) {
            self.name = name
            self.device = status.device
            self.inode = status.inode
            self.reason = reason
        }
    }

    private var committed: Set<Entry> = []

    /// Whether the refusal still has to be reported.
    func needsReport(_ entry: Entry) -> Bool { !committed.contains(entry) }

    /// The refusal is committed; its entry has yet to move.
    mutating func reported(_ entry: Entry) { committed.insert(entry) }

    /// The entry is in `rejected/`: nothing left to remember.
    mutating func moved(_ entry: Entry) { committed.remove(entry) }
}
