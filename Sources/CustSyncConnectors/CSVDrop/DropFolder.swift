import CustSyncCore
import Foundation
import Glibc

/// The four folders of a csv-drop connector, opened once and used only through their
/// descriptors (`openat`, `renameat`, `fstatat` with `AT_SYMLINK_NOFOLLOW`), so that neither a
/// name nor a symbolic link planted in `incoming/` can make the daemon read or write outside them.
/// Owns the descriptors and closes them in `deinit`.
///
/// Only `incoming/` is shared with uploaders; `processing/`, `archive/` and `rejected/` are the
/// connector's own, which is why "check the target name is free, then rename" is race-free there.
final class DropFolder {
    enum Area: String, CaseIterable {
        case incoming, processing, archive, rejected
    }

    let path: String
    private var descriptors: [Area: Int32] = [:]

    init(path: String) throws(ConnectorError) {
        self.path = path
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw ConnectorError("cannot create drop folder \(path): \(error.localizedDescription)")
        }
        let base = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard base >= 0 else { throw ConnectorError("cannot open drop folder \(path): \(Self.errorText())") }
        defer { close(base) }
        for area in Area.allCases {
            // incoming/ is shared with the uploaders' group (setgid, so their files keep it);
            // the rest is the daemon's own. An existing folder keeps the mode it was given.
            // mkdir never sets setgid (Linux drops it) and a hardened unit's RestrictSUIDSGID=
            // refuses a mode that asks for it, so create plain and add setgid with chmod, which
            // the sandbox may refuse: there systemd-tmpfiles has set up incoming/ already.
            let mode: mode_t = area == .incoming ? 0o2770 : 0o750
            if mkdirat(base, area.rawValue, mode & 0o777) == 0 {
                _ = fchmodat(base, area.rawValue, mode, 0)  // past the umask
            } else if errno != EEXIST {
                let text = Self.errorText()
                closeAll()
                throw ConnectorError("cannot create \(path)/\(area.rawValue): \(text)")
            }
            let fd = openat(base, area.rawValue, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            guard fd >= 0 else {
                let code = errno
                closeAll()
                let hint = code == ELOOP || code == ENOTDIR ? " (it must be a real directory, not a symbolic link or a file)" : ""
                throw ConnectorError("cannot open \(path)/\(area.rawValue): \(String(cString: strerror(code)))\(hint)", permanent: true)
            }
            descriptors[area] = fd
        }
    }

    deinit { closeAll() }

    private func closeAll() {
        for fd in descriptors.values { close(fd) }
        descriptors.removeAll()
    }

    func descriptor(_ area: Area) -> Int32 { descriptors[area]! }

    func path(of name: DropFileName, in area: Area) -> String { "\(path)/\(area.rawValue)/\(name.text)" }

    // MARK: looking

    /// The entries of `area`, without `.` and `..`.
    func list(_ area: Area) throws(ConnectorError) -> [DropFileName] {
        // Not dup(): its copy is not close-on-exec, and a program spawned meanwhile keeps it.
        let copy = fcntl(descriptor(area), F_DUPFD_CLOEXEC, 0)
        guard copy >= 0, let directory = fdopendir(copy) else {
            if copy >= 0 { close(copy) }
            throw ConnectorError("cannot list \(path)/\(area.rawValue): \(Self.errorText())")
        }
        defer { closedir(directory) }
        rewinddir(directory)
        var names: [DropFileName] = []
        while let entry = readdir(directory) {
            let bytes = withUnsafeBytes(of: &entry.pointee.d_name) { raw in Array(raw.prefix { $0 != 0 }) }
            let name = DropFileName(bytes: bytes)
            if name.isUsable { names.append(name) }
        }
        return names
    }

    /// `lstat` of an entry; `nil` when it does not exist (any more).
    func status(of name: DropFileName, in area: Area) -> DropFileStatus? {
        var st = stat()
        let rc = name.withCString { fstatat(descriptor(area), $0, &st, AT_SYMLINK_NOFOLLOW) }
        return rc == 0 ? DropFileStatus(st) : nil
    }

    func exists(_ name: DropFileName, in area: Area) -> Bool { status(of: name, in: area) != nil }

    /// Where a symbolic link points, for the report.
    func linkTarget(of name: DropFileName, in area: Area) -> String? {
        var buffer = [CChar](repeating: 0, count: 4096)
        let n = name.withCString { readlinkat(descriptor(area), $0, &buffer, buffer.count - 1) }
        guard n >= 0 else { return nil }
        return String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Why a claimed file could not be opened. `isPermanent` when retrying cannot help (no
    /// permission, not a regular file): the file is then rejected instead of blocking the folder.
    struct OpenFailure: Error, CustomStringConvertible {
        var message: String
        var isPermanent: Bool
        var description: String { message }
    }

    /// Opens a claimed file for reading. `O_NOFOLLOW` refuses a link, `O_NONBLOCK` keeps a FIFO
    /// from blocking the open, and `fstat` on the descriptor checks what was really opened.
    func openForReading(_ name: DropFileName) throws(OpenFailure) -> (fd: Int32, status: DropFileStatus) {
        let fd = name.withCString { openat(descriptor(.processing), $0, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY) }
        guard fd >= 0 else {
            let code = errno
            throw OpenFailure(message: "cannot open \(path(of: name, in: .processing)): \(String(cString: strerror(code)))",
                              isPermanent: [EACCES, EPERM, ELOOP, ENXIO, ENODEV].contains(code))
        }
        var st = stat()
        guard fstat(fd, &st) == 0 else {
            let text = Self.errorText()
            close(fd)
            throw OpenFailure(message: "cannot stat \(path(of: name, in: .processing)): \(text)", isPermanent: false)
        }
        let status = DropFileStatus(st)
        guard status.kind == .regular else {
            close(fd)
            throw OpenFailure(message: "\(path(of: name, in: .processing)) is a \(status.kind.rawValue), not a regular file",
                              isPermanent: true)
        }
        let flags = fcntl(fd, F_GETFL)
        _ = fcntl(fd, F_SETFL, flags & ~O_NONBLOCK)
        return (fd, status)
    }

    /// Whether some process still has `incoming/<name>` open for writing: a read lease
    /// (`fcntl(F_SETLEASE, F_RDLCK)`) is refused exactly then. `nil` when it cannot be told (the
    /// daemon does not own the file and lacks CAP_LEASE, or the filesystem has no leases, as NFS).
    /// The lease is dropped at once, so a writer opening the file meanwhile waits microseconds;
    /// the SIGIO its open sends the lease holder is made harmless first (`LeaseBreakSignal`).
    func isOpenForWriting(_ name: DropFileName) -> Bool? {
        let fd = name.withCString { openat(descriptor(.incoming), $0, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY) }
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        LeaseBreakSignal.makeHarmless()
        if fcntl(fd, Self.setLease, Int32(F_RDLCK)) == 0 {
            _ = fcntl(fd, Self.setLease, Int32(F_UNLCK))
            return false
        }
        return errno == EAGAIN ? true : nil
    }

    /// `F_SETLEASE` (Linux, <fcntl.h> under _GNU_SOURCE, which the Glibc module does not import).
    private static let setLease: Int32 = 1024

    // MARK: moving

    /// Moves an entry of `incoming/` into `processing/` under its safe text name, made unique so
    /// that it is free with each suffix of `alsoFree` appended too (room for its marker).
    func claim(_ name: DropFileName, alsoFree: [String] = []) throws(ConnectorError) -> DropFileName {
        let target = uniqueName(for: DropFileName(name.text), in: .processing, alsoFree: alsoFree)
        try rename(name, from: .incoming, to: target, in: descriptor(.processing), shownAs: "processing/\(target.text)")
        return target
    }

    /// Moves `processing/<name>` back to `incoming/` (a file that changed after it was claimed),
    /// and its marker `<name><markerSuffix>` with it if there is one, under names that keep the
    /// two a pair. The marker goes first: should the daemon stop in between, the marker waits in
    /// `incoming/` while its file is still in `processing/`, where the next session gives the
    /// marker back to the file. The other order could leave the file in `incoming/` and its
    /// marker in `processing/`, archived there as an orphan: a file nobody releases again.
    func putBack(_ name: DropFileName, markerSuffix: String?) throws(ConnectorError) {
        let marker = markerSuffix.map { name.appending($0) }.flatMap { exists($0, in: .processing) ? $0 : nil }
        let target = uniqueName(for: name, in: .incoming, alsoFree: markerSuffix.map { [$0] } ?? [])
        if let marker, let markerSuffix {
            let markerTarget = target.appending(markerSuffix)
            try rename(marker, from: .processing, to: markerTarget, in: descriptor(.incoming), shownAs: "incoming/\(markerTarget.text)")
        }
        try rename(name, from: .processing, to: target, in: descriptor(.incoming), shownAs: "incoming/\(target.text)")
    }

    /// Moves `incoming/<name>` to `processing/<target>` exactly (a marker following its file);
    /// fails rather than replace an entry of that name.
    func move(_ name: DropFileName, toProcessingAs target: DropFileName) throws(ConnectorError) {
        guard !exists(target, in: .processing) else {
            throw ConnectorError("cannot move \(path(of: name, in: .incoming)) to \(path(of: target, in: .processing)): the name is taken")
        }
        try rename(name, from: .incoming, to: target, in: descriptor(.processing), shownAs: "processing/\(target.text)")
    }

    /// Moves a file of `area` to `archive/YYYY/MM/DD/`; returns its path relative to the folder.
    @discardableResult
    func archive(_ name: DropFileName, from area: Area, at date: Date = Date()) throws(ConnectorError) -> String {
        let parts = Self.dayComponents(date)
        let day = try openDirectory(parts)
        defer { close(day) }
        let target = uniqueName(for: DropFileName(name.text), inDirectory: day)
        let relative = "archive/\(parts.joined(separator: "/"))/\(target.text)"
        try rename(name, from: area, to: target, in: day, shownAs: relative)
        return relative
    }

    /// Moves an entry of `area` to `rejected/` and writes `<name>.error` beside it (first, so
    /// the file is never there without its reason). A `.error` already there under the name the
    /// file gets is replaced: it describes no file there, being left by a stop between the two
    /// steps, or by an admin who took its file away.
    @discardableResult
    func reject(_ name: DropFileName, from area: Area, reason: String, at date: Date = Date()) throws(ConnectorError) -> String {
        let target = uniqueName(for: DropFileName(name.text), in: .rejected)
        try writeFile(target.appending(".error"), in: .rejected, contents: """
            file: \(name.text)
            rejected: \(ISO8601.string(date))
            reason: \(reason)

            """)
        try rename(name, from: area, to: target, in: descriptor(.rejected), shownAs: "rejected/\(target.text)")
        return "rejected/\(target.text)"
    }

    /// Writes `contents` as the file `name` of `area` (one of the daemon's own), replacing a file
    /// of that name but never following a link.
    private func writeFile(_ name: DropFileName, in area: Area, contents: String) throws(ConnectorError) {
        let fd = name.withCString { openat(descriptor(area), $0, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0o640) }
        guard fd >= 0 else { throw ConnectorError("cannot create \(path(of: name, in: area)): \(Self.errorText())") }
        defer { close(fd) }
        let bytes = Array(contents.utf8)
        var written = 0
        while written < bytes.count {
            let n = bytes[written...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw ConnectorError("cannot write \(path(of: name, in: area)): \(Self.errorText())")
            }
            written += n
        }
    }

    private func rename(_ name: DropFileName, from area: Area, to target: DropFileName, in directory: Int32,
                        shownAs: String) throws(ConnectorError) {
        let rc = name.withCString { source in
            target.withCString { destination in renameat(descriptor(area), source, directory, destination) }
        }
        guard rc == 0 else {
            throw ConnectorError("cannot move \(path(of: name, in: area)) to \(path)/\(shownAs): \(Self.errorText())")
        }
    }

    /// `name`, or `name-2.ext`, `name-3.ext` … whichever is free in `area` (with every suffix in
    /// `alsoFree` appended free too).
    func uniqueName(for name: DropFileName, in area: Area, alsoFree: [String] = []) -> DropFileName {
        uniqueName(for: name, inDirectory: descriptor(area), alsoFree: alsoFree)
    }

    private func uniqueName(for name: DropFileName, inDirectory directory: Int32, alsoFree: [String] = []) -> DropFileName {
        func free(_ candidate: DropFileName) -> Bool {
            ([""] + alsoFree).allSatisfy { suffix in
                var st = stat()
                return candidate.appending(suffix).withCString { fstatat(directory, $0, &st, AT_SYMLINK_NOFOLLOW) } != 0
            }
        }
        if free(name) { return name }
        let text = name.text
        let dot = text.lastIndex(of: ".").flatMap { $0 == text.startIndex ? nil : $0 }
        let stem = dot.map { String(text[..<$0]) } ?? text
        let ext = dot.map { String(text[$0...]) } ?? ""
        var number = 2
        while true {
            let candidate = DropFileName("\(stem)-\(number)\(ext)")
            if free(candidate) { return candidate }
            number += 1
        }
    }

    /// Opens (creating as needed) `archive/<parts…>`, refusing symbolic links on the way.
    private func openDirectory(_ parts: [String]) throws(ConnectorError) -> Int32 {
        var current = fcntl(descriptor(.archive), F_DUPFD_CLOEXEC, 0)
        for part in parts {
            if mkdirat(current, part, 0o750) != 0 && errno != EEXIST {
                let text = Self.errorText()
                close(current)
                throw ConnectorError("cannot create \(path)/archive/\(parts.joined(separator: "/")): \(text)")
            }
            let next = openat(current, part, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            let text = Self.errorText()
            close(current)
            guard next >= 0 else { throw ConnectorError("cannot open \(path)/archive/\(parts.joined(separator: "/")): \(text)") }
            current = next
        }
        return current
    }

    static func dayComponents(_ date: Date) -> [String] {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone.current
        let c = calendar.dateComponents([.year, .month, .day], from: date)
        return [String(format: "%04d", c.year ?? 1970), String(format: "%02d", c.month ?? 1), String(format: "%02d", c.day ?? 1)]
    }

    // MARK: retention

    /// Deletes `archive/YYYY/MM/DD/` folders whose day is more than `days` days before `now`,
    /// and year or month folders left empty. Returns how many files were deleted.
    @discardableResult
    func pruneArchive(keepingDays days: Int, now: Date = Date()) -> Int {
        guard days > 0 else { return 0 }
        let cutoff = Self.dayComponents(now.addingTimeInterval(-Double(days) * 86_400)).joined(separator: "/")
        var deleted = 0
        let root = "\(path)/archive"
        let manager = FileManager.default
        func directories(_ at: String) -> [String] {
            ((try? manager.contentsOfDirectory(atPath: at)) ?? []).filter { name in
                var st = stat()
                return lstat("\(at)/\(name)", &st) == 0 && st.st_mode & S_IFMT == S_IFDIR
                    && name.count <= 4 && name.allSatisfy { $0.isASCII && $0.isNumber }
            }.sorted()
        }
        for year in directories(root) {
            for month in directories("\(root)/\(year)") {
                for day in directories("\(root)/\(year)/\(month)") where "\(year)/\(month)/\(day)" < cutoff {
                    let folder = "\(root)/\(year)/\(month)/\(day)"
                    let files = (try? manager.contentsOfDirectory(atPath: folder)) ?? []
                    for file in files where unlink("\(folder)/\(file)") == 0 { deleted += 1 }
                    rmdir(folder)
                }
                rmdir("\(root)/\(year)/\(month)")
            }
            rmdir("\(root)/\(year)")
        }
        return deleted
    }

    static func errorText() -> String { String(cString: strerror(errno)) }
}
