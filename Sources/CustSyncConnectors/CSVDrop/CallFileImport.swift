import CustSyncCore
import Foundation
import Glibc

/// Reads one claimed file of `processing/` to its fate: every row committed (then `archive/`),
/// recognised as a copy of content already read (`archive/`, unread), unreadable as a whole
/// (`rejected/` with a `.error`), or changed by its uploader after rows of it were committed
/// (`rejected/` with a `.error`; the committed rows stay). Rows go to the store in batches of
/// `context.batchSize`, each with the cursor saying how far the file is committed; bad rows go
/// in the same batches as rejections and to `rejected/<file>.rejects.csv`. A full batch commits
/// on another thread while the next rows are read (`CommitInFlight`); it is waited for before
/// anything else is committed and before the import returns or throws.
///
/// The fate of a file is committed (final cursor) before the file is moved, so a crash in
/// between is finished on the next start from the cursor, by content hash.
struct CallFileImport {
    enum Outcome {
        /// The file reached its fate; the cursor committed last.
        case finished(DropCursor)
        /// Stopped between batches (shutdown or the end of the watch session); resume later.
        case interrupted(DropCursor)
        /// The file changed after it was claimed; it was put back into `incoming/` (with its marker).
        case putBack
    }

    let connector: String
    let settings: CSVDropSettings
    let folder: DropFolder
    let context: PollContext
    let log: @Sendable (CSVDropConnector.LogLevel, String, [(String, String)]) -> Void
    /// True when the import should stop after the batch in flight.
    let shouldEnd: () -> Bool

    /// Imports `processing/<name>`, resuming from `resume` when it describes this very content.
    func run(_ name: DropFileName, resume: DropCursor?) throws -> Outcome {
        let file = name.text
        let opened: (fd: Int32, status: DropFileStatus)
        do {
            opened = try folder.openForReading(name)
        } catch {
            guard error.isPermanent else { throw error }
            if let resume, resume.file == file, resume.state == .rejected { return try conclude(name, cursor: resume) }
            return try rejectWhole(name, identity: "unopenable", reason: error.message)
        }
        let (fd, status) = opened
        let source = FileByteSource(fileDescriptor: fd)

        if status.size > settings.maxFileSize {
            let identity = "size:\(status.size)"
            if let resume, resume.file == file, resume.sha256 == identity, resume.state == .rejected {
                return try conclude(name, cursor: resume)
            }
            return try rejectWhole(name, identity: identity,
                                   reason: "file is \(status.size) bytes, more than MaxFileSize=\(settings.maxFileSize) (raise MaxFileSize= to read it, or split the export)")
        }

        // Only the bytes measured now are hashed and read: rows appended later belong to no
        // content the cursor can name (see `changedAfterClaim`).
        source.end = status.size
        let survey: FileSurvey
        do {
            survey = try FileSurvey(reading: source)
        } catch {
            throw ConnectorError("cannot read \(folder.path(of: name, in: .processing)): \(error)")
        }
        if changed(since: status, source) || survey.size != status.size {
            // Someone still writes to it: it was not finished after all. Let it settle again.
            try folder.putBack(name, markerSuffix: settings.markerSuffix)
            log(.warning, "csv.changed-after-claim", [("connector", connector), ("file", file)])
            return .putBack
        }
        let hash = survey.sha256
        if let resume, resume.file == file, resume.state == .reading, resume.sha256 != hash {
            // Rows of the earlier content are committed; reading this one from its start would
            // apply them a second time.
            return try rejectWhole(name, identity: hash, reason: changedAfterClaim(nextLine: resume.line, whileRead: false))
        }
        let resuming = resume.flatMap { $0.file == file && $0.sha256 == hash ? $0 : nil }
        if let resuming, resuming.state != .reading {
            return try conclude(name, cursor: resuming)
        }
        if resuming == nil {
            if survey.size == 0 {
                let cursor = DropCursor(file: file, state: .done, sha256: hash)
                try context.deliver(Batch(source: connector, items: [.skipped(origin: file, reason: "empty file (0 bytes): nothing to read")],
                                          nextCursor: cursor.cursor))
                return try conclude(name, cursor: cursor)
            }
            if let offset = survey.binaryAt {
                return try rejectWhole(name, identity: hash,
                                       reason: "binary content: NUL byte at offset \(offset) (not a CSV text export; UTF-16 needs a byte order mark)")
            }
            if try context.hasCompletedContent(hash) {
                let cursor = DropCursor(file: file, state: .duplicate, sha256: hash)
                try context.deliver(Batch(source: connector, items: [.skipped(
                    origin: file, reason: "same content (sha256 \(hash.prefix(16))…) as a file already read: not applied again")],
                                          nextCursor: cursor.cursor))
                log(.info, "csv.duplicate", [("connector", connector), ("file", file), ("sha256", hash)])
                return try conclude(name, cursor: cursor)
            }
        }
        let encoding = try self.encoding(of: name, survey: survey, source: source, resuming: resuming)
        do {
            return try readRows(name, source: source, status: status, hash: hash, encoding: encoding, resuming: resuming)
        } catch let problem as Unreadable {
            return try rejectWhole(name, identity: hash, reason: problem.reason)
        }
    }

    /// The encoding to read the file in. A file half read keeps the one its cursor names, whatever
    /// `Encoding=` says since a reload: its offsets and its committed rows are in that one.
    private func encoding(of name: DropFileName, survey: FileSurvey, source: FileByteSource,
                          resuming: DropCursor?) throws -> TextEncoding {
        if let kept = resuming?.encoding.flatMap(TextEncoding.init(rawValue:)), kept != .auto { return kept }
        let fit: CharsetFit?
        do {
            if survey.needsFit(settings.encoding) {
                try source.seek(to: 0)
                fit = try FileSurvey.fit(reading: source)
            } else {
                fit = nil
            }
        } catch {
            throw ConnectorError("cannot read \(folder.path(of: name, in: .processing)): \(error)")
        }
        let encoding = survey.resolve(settings.encoding, fit: fit)
        if settings.encoding != .auto && encoding != settings.encoding {
            log(.warning, "csv.encoding-by-bom", [
                ("connector", connector), ("file", name.text), ("encoding", encoding.rawValue),
                ("configured", settings.encoding.rawValue),
                ("hint", "the file starts with a byte order mark, which wins over Encoding=; check the upstream's export settings"),
            ])
        }
        if let fit, fit.invalidUTF8 > 0 && fit.invalidGB18030 > 0 {
            // Damaged either way: its bad rows are quarantined; say which reading won, and why.
            log(.warning, "csv.encoding-damaged", [
                ("connector", connector), ("file", name.text), ("encoding", encoding.rawValue),
                ("invalid_utf8_sequences", String(fit.invalidUTF8)), ("invalid_gb18030_sequences", String(fit.invalidGB18030)),
                ("hint", "Encoding=auto reads it as the encoding it breaks less; set Encoding= if that is wrong"),
            ])
        }
        return encoding
    }

    /// The whole file cannot be read (header, encoding): it goes to `rejected/` whole.
    private struct Unreadable: Error { var reason: String }

    private func readRows(_ name: DropFileName, source: FileByteSource, status: DropFileStatus, hash: String,
                          encoding: TextEncoding, resuming: DropCursor?) throws -> Outcome {
        let file = name.text
        let decoder: CharsetDecoder
        do {
            decoder = try CharsetDecoder(charset: encoding.fieldCharset)
        } catch {
            throw Unreadable(reason: "\(error)")
        }
        let dialect = settings.dialect(for: encoding)
        func reader(at offset: Int64, line: Int) throws -> CSVReader {
            try source.seek(to: encoding == .utf16 ? 0 : offset)
            if encoding == .utf16 {
                let transcoded = UTF16TranscodingByteSource(source: source)
                _ = try transcoded.skip(offset)
                return CSVReader(source: transcoded, dialect: dialect, startOffset: offset, startLine: line)
            }
            return CSVReader(source: source, dialect: dialect, startOffset: offset, startLine: line)
        }
        func next(_ reader: CSVReader) throws -> CSVReadResult? {
            do {
                return try reader.next()
            } catch ByteSourceError.missingUTF16BOM {
                throw Unreadable(reason: "\(ByteSourceError.missingUTF16BOM) (Encoding=utf-16 needs one; use Encoding=auto for other files)")
            }
        }

        var header: CSVHeader?
        var start: (offset: Int64, line: Int) = (0, 1)
        if settings.header {
            let headerReader = try reader(at: 0, line: 1)
            switch try next(headerReader) {
            case nil:
                let cursor = DropCursor(file: file, encoding: encoding.rawValue, state: .done, sha256: hash)
                try context.deliver(Batch(source: connector, items: [.skipped(origin: file, reason: "no header and no rows (only blank lines)")],
                                          nextCursor: cursor.cursor))
                return try conclude(name, cursor: cursor)
            case .malformed(let record)?:
                throw Unreadable(reason: "header row (line \(record.line)) is malformed: \(record.reason)")
            case .row(let row)?:
                do {
                    header = try CSVHeader(row: row, decoder: decoder)
                } catch {
                    throw Unreadable(reason: "header row is not valid \(encoding): \(error) (set Encoding= to the file's encoding)")
                }
                start = (row.endOffset, row.nextLine)
            }
        }
        let mapper: CallRowMapper
        do {
            mapper = try CallRowMapper(
                settings: settings, header: header, fileName: file, contentKey: String(hash.prefix(16)),
                fileModified: Date(timeIntervalSince1970: status.modified), decoder: decoder,
                times: CallTimeParser(format: settings.timeFormat, timeZone: settings.timeZone))
        } catch {
            throw Unreadable(reason: error.reason)
        }

        var cursor = DropCursor(file: file, encoding: encoding.rawValue, state: .reading, line: start.line,
                                offset: start.offset, sha256: hash)
        var rejects: RejectsFile?
        if let resuming {
            cursor = resuming
            if let rejectsName = resuming.rejects, resuming.rejectsSize > 0 {
                rejects = try RejectsFile(resuming: DropFileName(rejectsName), committedSize: resuming.rejectsSize, in: folder)
            }
            log(.info, "csv.resuming", [("connector", connector), ("file", file), ("line", String(resuming.line))])
        } else {
            // Commit the start first: from then on the cursor names this file and its rejects
            // file, so a crash at any later point resumes both and leaves no stray rejects file.
            cursor.rejects = folder.uniqueName(for: DropFileName("\(file).rejects.csv"), in: .rejected).text
            try context.deliver(Batch(source: connector, items: [], nextCursor: cursor.cursor))
            log(.info, "csv.reading", [("connector", connector), ("file", file), ("encoding", encoding.rawValue),
                                       ("bytes", String(status.size))])
        }
        let rows = try reader(at: cursor.offset, line: cursor.line)
        var items: [Batch.Item] = []
        items.reserveCapacity(min(context.batchSize, 10_000))
        var rejectedRows = 0
        var rowsRead = 0

        func reject(line: Int, reason: String, raw: String, columns: [RawColumn]? = nil) throws {
            if rejects == nil {
                // Named when the import started; nothing of it is committed yet, so start it afresh.
                rejects = try RejectsFile(resuming: DropFileName(cursor.rejects ?? "\(file).rejects.csv"), committedSize: 0, in: folder)
            }
            try rejects!.append(line: line, reason: reason, record: raw)
            items.append(.rejected(Rejection(origin: mapper.origin(line: line), reason: reason, raw: raw, columns: columns)))
            rejectedRows += 1
        }
        func text(_ bytes: [UInt8]) -> String {
            (try? decoder.decode(bytes)) ?? String(decoding: bytes, as: UTF8.self)
        }
        var inFlight: CommitInFlight?
        func awaitCommit() throws {
            guard let commit = inFlight else { return }
            inFlight = nil
            try commit.wait()
        }
        func flush(final: Bool) throws {
            try awaitCommit()
            cursor.rejectsSize = rejects?.size ?? 0
            if final && cursor.state == .reading { cursor.state = .done }
            let batch = Batch(source: connector, items: items, nextCursor: cursor.cursor,
                              completedContent: final ? CompletedContent(hash: hash, name: file) : nil)
            items.removeAll(keepingCapacity: true)
            if final {
                try context.deliver(batch)
            } else {
                inFlight = CommitInFlight([batch], context: context)
            }
        }
        /// Reads rows to the end of the file (true) or until asked to end (false).
        func readToTheEnd() throws -> Bool {
            while let result = try next(rows) {
                switch result {
                case .row(let row):
                    let raw = text(row.rawBytes)
                    switch mapper.record(from: row, raw: raw) {
                    case .success(let record): items.append(.record(record))
                    case .failure(let problem):
                        try reject(line: row.line, reason: problem.reason, raw: raw, columns: mapper.layout.columns(of: raw))
                    }
                case .malformed(let record):
                    let kept = record.rawPrefix.count >= dialect.maxRawPrefixLength ? " (record shown up to its first \(dialect.maxRawPrefixLength) bytes)" : ""
                    try reject(line: record.line, reason: record.reason + kept, raw: text(record.rawPrefix))
                }
                rowsRead += 1
                cursor.offset = result.endOffset
                cursor.line = result.nextLine
                if items.count >= context.batchSize {
                    try flush(final: false)
                    if shouldEnd() { return false }
                }
            }
            if changed(since: status, source) {
                let reason = changedAfterClaim(nextLine: cursor.line, whileRead: true)
                items.append(.rejected(Rejection(origin: file, reason: reason, raw: "")))
                cursor.state = .rejected
                cursor.reason = reason
            }
            try flush(final: true)
            return true
        }

        let reachedTheEnd: Bool
        do {
            reachedTheEnd = try readToTheEnd()
            try awaitCommit()
        } catch {
            // Rows read after a batch that then failed to commit are dropped with the error:
            // the next poll resumes from the committed cursor (and truncates the rejects file).
            try? awaitCommit()
            throw error
        }
        guard reachedTheEnd else { return .interrupted(cursor) }
        log(.info, "csv.read", [("connector", connector), ("file", file), ("encoding", encoding.rawValue),
                                ("rows", String(rowsRead)), ("rejected_rows", String(rejectedRows))])
        return try conclude(name, cursor: cursor)
    }

    /// Whether the open file is no longer what `status` described (written to since the claim).
    private func changed(since status: DropFileStatus, _ source: FileByteSource) -> Bool {
        var now = stat()
        return fstat(source.fileDescriptor, &now) != 0 || !DropFileStatus(now).looksUnchanged(since: status)
    }

    /// Why a file whose content changed after rows of it were committed goes to `rejected/`: what
    /// is committed stays, nothing of it is applied twice, and the admin learns where to go on.
    private func changedAfterClaim(nextLine: Int, whileRead: Bool) -> String {
        let firstRow = settings.header ? 2 : 1
        let committed = nextLine > firstRow ? "its rows before line \(nextLine) are committed" : "none of its rows is committed"
        let rest = settings.header ? "the header and the lines from \(nextLine) on" : "the lines from \(nextLine) on"
        let what = whileRead
            ? "was written to while it was read (its uploader had not finished): \(committed), from the bytes it had when it was claimed"
            : "changed after it was claimed and partly read: \(committed), from its earlier content"
        return "\(what); the rest is not read, so nothing is applied twice (to load it, drop a new file with \(rest) of this one)"
    }

    /// A file that cannot be read at all: the rejection is committed with the final cursor, then
    /// the file moves to `rejected/` with the reason in `<name>.error`.
    private func rejectWhole(_ name: DropFileName, identity: String, reason: String) throws -> Outcome {
        let cursor = DropCursor(file: name.text, state: .rejected, sha256: identity, reason: reason)
        try context.deliver(Batch(source: connector, items: [.rejected(Rejection(origin: name.text, reason: reason, raw: ""))],
                                  nextCursor: cursor.cursor))
        return try conclude(name, cursor: cursor)
    }

    /// Carries out the fate a committed cursor gives `processing/<name>` (and its marker).
    func conclude(_ name: DropFileName, cursor: DropCursor) throws -> Outcome {
        let marker = settings.markerSuffix.map { name.appending($0) }
        switch cursor.state {
        case .reading:
            return .interrupted(cursor)
        case .done, .duplicate:
            let place = try folder.archive(name, from: .processing)
            if let marker, folder.exists(marker, in: .processing) { try folder.archive(marker, from: .processing) }
            log(.info, "csv.archived", [("connector", connector), ("file", name.text), ("to", place)])
        case .rejected:
            let reason = cursor.reason ?? "unreadable"
            let place = try folder.reject(name, from: .processing, reason: reason)
            if let marker, folder.exists(marker, in: .processing) { try folder.archive(marker, from: .processing) }
            log(.warning, "csv.rejected", [("connector", connector), ("file", name.text), ("to", place), ("reason", reason)])
        }
        return .finished(cursor)
    }
}
