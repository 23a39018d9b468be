import CustSyncCore
import Foundation
import Glibc
import Synchronization

/// Takes the CSV files that upstream systems drop into `<Directory>/incoming/`, each row once.
///
/// One poll is one watch session: it finishes what a previous session left in `processing/`,
/// then waits on inotify (in steps of at most 250 ms, so a stop is noticed at once) and lists
/// `incoming/` in full every `RescanInterval=`, taking each file once it has settled and its
/// writer has closed it (`DropFolder.isOpenForWriting`, else `UnfinishedWrites`), until a
/// stop is requested or the poll's `Timeout=` is near; then it returns normally and the
/// scheduler starts the next session after `Interval=`. The inotify watch stays open between
/// sessions, so nothing that arrives in the gap is missed.
///
/// Entries that are not regular files (symbolic links, FIFOs, devices, sockets) and files with
/// more than one hard link are never opened: they move to `rejected/` with a `.error` and are
/// reported as rejections. Directories are left alone.
///
/// Polls of one connector never overlap (one scheduler thread runs them), which is what makes the
/// session state below safe without a lock.
public final class CSVDropConnector: Connector, @unchecked Sendable {
    public enum LogLevel: Sendable { case debug, info, warning }

    public let name: String
    public let settings: CSVDropSettings
    let log: @Sendable (LogLevel, String, [(String, String)]) -> Void

    // Session state, kept between polls; touched only by the poll in progress.
    private var folder: DropFolder?
    private var watch: InotifyWatch?
    private var tracker: SettleTracker
    private var unfinished = UnfinishedWrites()
    /// Settled files left waiting because their writer has not closed them (see `take`).
    private var heldForWriter: [DropFileName: DropFileStatus] = [:]
    /// What `waitingFiles` answers, published by the poll for other threads.
    private let published = Mutex<[WaitingFile]>([])
    private var refusals: Set<DropFileName> = []
    /// Kept for the process lifetime, unlike the session state around it (see `RefusalReports`).
    private var refusalReports = RefusalReports()
    private var reportedDirectories: Set<DropFileName> = []
    private var lastPrune: Date?

    public init(name: String, settings: CSVDropSettings,
                log: @escaping @Sendable (LogLevel, String, [(String, String)]) -> Void = { _, _, _ in }) {
        self.name = name
        self.settings = settings
        self.log = log
        self.tracker = SettleTracker(settleTime: settings.settleTime, markerMode: settings.markerSuffix != nil)
    }

    public func poll(from cursor: Cursor?, context: PollContext) throws {
        let started = Date()
        let budget = context.deadline.timeIntervalSince(started)
        let sessionEnd = started.addingTimeInterval(max(0, budget - min(2, budget * 0.1)))
        let shouldEnd = { context.shouldStop || Date() >= sessionEnd }

        let folder: DropFolder
        let watch: InotifyWatch
        if let open = self.folder, let openWatch = self.watch {
            folder = open
            watch = openWatch
        } else {
            folder = try DropFolder(path: settings.directory)
            // Watch before the first listing, so a file arriving in between is not missed.
            watch = try InotifyWatch(directory: "\(settings.directory)/incoming")
            self.folder = folder
            self.watch = watch
            tracker = SettleTracker(settleTime: settings.settleTime, markerMode: settings.markerSuffix != nil)
            unfinished = UnfinishedWrites(foundAtStart: try folder.list(.incoming))
            heldForWriter = [:]
        }
        let importer = CallFileImport(connector: name, settings: settings, folder: folder, context: context,
                                      log: log, shouldEnd: shouldEnd)
        do {
            var committed = DropCursor(cursor)
            guard try finishProcessing(folder, importer: importer, committed: &committed) else { return }
            pruneIfDue(folder)

            var nextRescan = Date()
            while !shouldEnd() {
                let now = Date()
                if now >= nextRescan {
                    try rescan(folder)
                    nextRescan = now.addingTimeInterval(settings.rescanInterval)
                    pruneIfDue(folder)
                }
                try refuseWaiting(folder, context: context)
                for (candidate, status) in tracker.ready(at: Date()) {
                    if shouldEnd() { return }
                    guard try take(candidate, seen: status, folder: folder, importer: importer, committed: &committed) else { return }
                }
                publishWaitingFiles()
                var timeout = min(0.25, nextRescan.timeIntervalSinceNow, sessionEnd.timeIntervalSinceNow)
                if let ready = tracker.nextReadyDate { timeout = min(timeout, ready.timeIntervalSinceNow) }
                for event in try watch.wait(timeout: max(0, timeout)) {
                    switch event {
                    case .closedAfterWrite(let bytes), .movedIn(let bytes):
                        let name = DropFileName(bytes: bytes)
                        unfinished.ended(name)
                        heldForWriter[name] = nil
                        observe(name, in: folder)
                    case .created(let bytes):
                        let name = DropFileName(bytes: bytes)
                        // A file linked into place (two links for a moment) has no writer.
                        if let status = folder.status(of: name, in: .incoming), status.kind == .regular, status.links == 1 {
                            unfinished.began(name)
                        }
                        observe(name, in: folder)
                    case .modified(let bytes):
                        let name = DropFileName(bytes: bytes)
                        unfinished.began(name)
                        observe(name, in: folder)
                    case .removed(let bytes):
                        let name = DropFileName(bytes: bytes)
                        unfinished.ended(name)
                        tracker.remove(name)
                        heldForWriter[name] = nil
                    case .overflow:
                        unfinished.forgetAll()
                        nextRescan = Date()
                    case .directoryGone:
                        throw ConnectorError("\(settings.directory)/incoming was removed or moved; it is created again on the next poll")
                    }
                }
            }
        } catch {
            // Start over with fresh descriptors next time: the folder may have been replaced.
            self.watch = nil
            self.folder = nil
            published.withLock { $0 = [] }
            throw error
        }
    }

    public var waitingFiles: [WaitingFile] { published.withLock { $0 } }

    /// Publishes the files seen in `incoming/` and not taken yet, oldest first.
    private func publishWaitingFiles() {
        var files = heldForWriter.map { name, status in
            WaitingFile(name: name.text, size: status.size, modified: Date(timeIntervalSince1970: status.modified), reason: .writerOpen)
        }
        for (name, candidate) in tracker.candidates where heldForWriter[name] == nil {
            files.append(WaitingFile(name: name.text, size: candidate.status.size,
                                     modified: Date(timeIntervalSince1970: candidate.status.modified),
                                     reason: tracker.markerMode && !candidate.hasMarker ? .awaitingMarker : .settling))
        }
        files.sort { $0.modified != $1.modified ? $0.modified < $1.modified : $0.name < $1.name }
        let shown = Array(files.prefix(WaitingFile.shownAtMost))
        published.withLock { $0 = shown }
    }

    // MARK: processing/

    /// Finishes every file left in `processing/` by an earlier session: the one the committed
    /// cursor names from where it stopped, any other (claimed, but nothing of it committed) from
    /// its start. False if the session has to end before they are all done.
    private func finishProcessing(_ folder: DropFolder, importer: CallFileImport,
                                  committed: inout DropCursor?) throws -> Bool {
        let marker = settings.markerSuffix
        var names = try folder.list(.processing)
        let markers = names.filter { name in marker.map { name.hasSuffix($0) } ?? false }
        names.removeAll { name in markers.contains(name) }
        try adoptStrayMarkers(of: names, in: folder)
        names.sort { a, b in
            if a.text == committed?.file { return true }
            if b.text == committed?.file { return false }
            return a.bytes.lexicographicallyPrecedes(b.bytes)
        }
        for name in names {
            if importer.shouldEnd() { return false }
            guard let status = folder.status(of: name, in: .processing) else { continue }
            guard status.kind == .regular else {
                try refuse(name, from: .processing, status: status, folder: folder, context: importer.context)
                continue
            }
            let resume = committed?.file == name.text ? committed : nil
            switch try importer.run(name, resume: resume) {
            case .finished(let cursor): committed = cursor
            case .interrupted: return false
            case .putBack: break
            }
        }
        // A marker listed above may have gone meanwhile: archived with its file, or put back
        // with it. Only one still here without its file is an orphan.
        for orphan in markers {
            if let marker, folder.exists(orphan, in: .processing), !folder.exists(orphan.dropping(suffix: marker), in: .processing) {
                try folder.archive(orphan, from: .processing)
            }
        }
        return true
    }

    /// Marker mode: a marker still in `incoming/` whose file is already in `processing/` (the
    /// daemon stopped, or the move failed, between the claim of the file and the move of its
    /// marker, or between the two moves of a put-back) joins its file before anything is read,
    /// so it can never release a later file of the same name.
    private func adoptStrayMarkers(of names: [DropFileName], in folder: DropFolder) throws {
        guard let suffix = settings.markerSuffix else { return }
        let bare = Set(names.filter { !folder.exists($0.appending(suffix), in: .processing) })
        guard !bare.isEmpty else { return }
        for marker in try folder.list(.incoming) where marker.hasSuffix(suffix) {
            // A claimed file is named by the safe text of its name in incoming/.
            let claimed = DropFileName(marker.dropping(suffix: suffix).text)
            guard bare.contains(claimed), !folder.exists(claimed.appending(suffix), in: .processing) else { continue }
            try folder.move(marker, toProcessingAs: claimed.appending(suffix))
            log(.info, "csv.marker-joined", [("connector", self.name), ("file", claimed.text)])
        }
    }

    // MARK: incoming/

    private func isIgnored(_ name: DropFileName) -> Bool {
        if name.isHidden || !name.isUsable { return true }
        return settings.ignorePatterns.contains { pattern in
            name.withCString { fnmatch(pattern, $0, FNM_PERIOD) == 0 }
        }
    }

    /// Takes note of an entry of `incoming/` after an event or during a listing.
    private func observe(_ name: DropFileName, in folder: DropFolder) {
        guard !isIgnored(name) else { return }
        if let suffix = settings.markerSuffix, name.hasSuffix(suffix) {
            let data = name.dropping(suffix: suffix)
            if !isIgnored(data) && !data.hasSuffix(suffix) { observe(data, in: folder) }
            return
        }
        guard let status = folder.status(of: name, in: .incoming) else {
            tracker.remove(name)
            return
        }
        switch status.kind {
        case .regular:
            // Hard-linked files are refused only once settled: "link the finished file into
            // place, then unlink the temporary name" has two links for a moment.
            let hasMarker = settings.markerSuffix.map { folder.exists(name.appending($0), in: .incoming) } ?? true
            tracker.observe(name, status: status, hasMarker: hasMarker, now: Date())
        case .directory:
            tracker.remove(name)
            if reportedDirectories.insert(name).inserted {
                log(.warning, "csv.directory-ignored", [("connector", self.name), ("path", folder.path(of: name, in: .incoming))])
            }
        default:
            tracker.remove(name)
            refusals.insert(name)
        }
    }

    private func rescan(_ folder: DropFolder) throws {
        let names = try folder.list(.incoming)
        let present = Set(names)
        tracker.keepOnly(present)
        heldForWriter = heldForWriter.filter { present.contains($0.key) }
        for name in names { observe(name, in: folder) }
    }

    /// Takes one settled file: claims it into `processing/` and imports it. False if the session
    /// has to end before the file is done.
    private func take(_ name: DropFileName, seen: DropFileStatus, folder: DropFolder, importer: CallFileImport,
                      committed: inout DropCursor?) throws -> Bool {
        guard let status = folder.status(of: name, in: .incoming), status.looksUnchanged(since: seen) else {
            observe(name, in: folder)
            return true
        }
        if status.links > 1 {
            tracker.remove(name)
            try refuse(name, from: .incoming, status: status, folder: folder, context: importer.context)
            return true
        }
        switch folder.isOpenForWriting(name) {
        case true?:
            // Quiet for SettleTime=, but its writer has not closed it: wait for the close event
            // (or the next listing).
            tracker.remove(name)
            heldForWriter[name] = status
            log(.debug, "csv.still-open", [("connector", self.name), ("file", name.text)])
            return true
        case false?:
            break  // the kernel says nobody writes to it, whatever inotify saw
        case nil where unfinished.contains(name) || unfinished.wasFoundAtStart(name):
            let quiet = unfinished.quiet(name, modified: status.modified)
            if quiet < UnfinishedWrites.patience {
                tracker.remove(name)
                heldForWriter[name] = status
                log(.debug, "csv.awaiting-close", [("connector", self.name), ("file", name.text)])
                return true
            }
            // Quiet that long before the daemon started: an upload finished while it was away.
            guard unfinished.contains(name) else { break }
            log(.warning, "csv.taken-unclosed", [
                ("connector", self.name), ("file", name.text), ("quiet_seconds", String(Int(quiet))),
                ("hint", "no close of this file was seen: uploaders should write under a temporary name (.*, *.tmp, *.part) and rename it into place"),
            ])
        case nil:
            break  // cannot be told (no lease here): settled is all there is to go on
        }
        tracker.remove(name)
        heldForWriter[name] = nil
        let markerSuffix = settings.markerSuffix
        let claimed: DropFileName
        do {
            claimed = try folder.claim(name, alsoFree: markerSuffix.map { [$0] } ?? [])
        } catch {
            guard folder.exists(name, in: .incoming) else { return true }  // gone in the meantime (its uploader took it back)
            throw error
        }
        if let suffix = markerSuffix {
            // The file first, its marker second: should the daemon stop (or this move fail) in
            // between, the marker is left in incoming/ beside no file, and the next session moves
            // it to its file before reading anything (adoptStrayMarkers). The other order would
            // leave the file in incoming/ without the marker its uploader already sent. A marker
            // its uploader removed meanwhile is not an error: it had released the file already.
            let marker = name.appending(suffix)
            if folder.exists(marker, in: .incoming) {
                try folder.move(marker, toProcessingAs: claimed.appending(suffix))
            }
        }
        log(.debug, "csv.claimed", [("connector", self.name), ("file", claimed.text)])
        switch try importer.run(claimed, resume: nil) {
        case .finished(let cursor):
            committed = cursor
            return true
        case .interrupted:
            return false
        case .putBack:
            return true
        }
    }

    private func refuseWaiting(_ folder: DropFolder, context: PollContext) throws {
        while let name = refusals.popFirst() {
            guard let status = folder.status(of: name, in: .incoming) else { continue }
            guard status.kind != .regular else {
                observe(name, in: folder)
                continue
            }
            guard status.kind != .directory else { continue }
            try refuse(name, from: .incoming, status: status, folder: folder, context: context)
        }
    }

    /// Reports an entry that is never read and moves it (the entry itself, not what a link points
    /// to) to `rejected/` with a `.error`. The report is committed first; if the move then fails,
    /// the next poll tries the move again without reporting the entry a second time.
    private func refuse(_ name: DropFileName, from area: DropFolder.Area, status: DropFileStatus,
                        folder: DropFolder, context: PollContext) throws {
        var reason: String
        switch status.kind {
        case .symbolicLink:
            let target = folder.linkTarget(of: name, in: area).map { " to \($0)" } ?? ""
            reason = "symbolic link\(target) refused: only regular files placed in incoming/ are read (copy or move the file itself there)"
        case .regular:
            reason = "file with \(status.links) hard links refused: it is also reachable from outside incoming/ (copy it there instead of linking)"
        default:
            reason = "\(status.kind.rawValue) refused: only regular files are read"
        }
        let entry = RefusalReports.Entry(name, status: status, reason: reason)
        if refusalReports.needsReport(entry) {
            try context.deliver(Batch(source: self.name, items: [.rejected(Rejection(origin: name.text, reason: reason, raw: ""))],
                                      nextCursor: nil))
            refusalReports.reported(entry)
        }
        let place = try folder.reject(name, from: area, reason: reason)
        refusalReports.moved(entry)
        log(.warning, "csv.refused", [("connector", self.name), ("file", name.text), ("to", place), ("reason", reason)])
    }

    private func pruneIfDue(_ folder: DropFolder) {
        let now = Date()
        guard settings.archiveDays > 0, lastPrune.map({ now.timeIntervalSince($0) > 3600 }) ?? true else { return }
        lastPrune = now
        let deleted = folder.pruneArchive(keepingDays: settings.archiveDays, now: now)
        if deleted > 0 {
            log(.info, "csv.archive-pruned", [("connector", name), ("files", String(deleted)), ("days", String(settings.archiveDays))])
        }
    }
}
