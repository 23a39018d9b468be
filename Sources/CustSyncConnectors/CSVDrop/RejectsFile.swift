import Foundation
import Glibc

/// `rejected/<file>.rejects.csv`: one line per bad row of a file — its line number, the reason
/// and the record as read — in UTF-8, so it opens anywhere whatever the file's encoding was
/// (the original bytes stay in the archived file). Owns its descriptor.
///
/// Its committed size travels in the cursor: a resumed import cuts it back to that size first,
/// so each bad row appears once even when the daemon died between writing and committing.
final class RejectsFile {
    let name: DropFileName
    private let fd: Int32
    private(set) var size: Int64

    static let header = "line,reason,record\n"

    /// Opens the rejects file named in the cursor of an import (creating it if need be) and cuts it
    /// back to `committedSize`, the part that is committed; at 0 it starts with the header line.
    convenience init(resuming name: DropFileName, committedSize: Int64, in folder: DropFolder) throws(ConnectorError) {
        let fd = name.withCString { openat(folder.descriptor(.rejected), $0, O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0o640) }
        guard fd >= 0 else {
            throw ConnectorError("cannot open \(folder.path(of: name, in: .rejected)): \(DropFolder.errorText())")
        }
        guard ftruncate(fd, off_t(committedSize)) == 0, lseek(fd, off_t(committedSize), SEEK_SET) >= 0 else {
            let text = DropFolder.errorText()
            close(fd)
            throw ConnectorError("cannot resume \(folder.path(of: name, in: .rejected)): \(text)")
        }
        self.init(name: name, fd: fd, size: committedSize)
        if committedSize == 0 { try write(Self.header) }
    }

    private init(name: DropFileName, fd: Int32, size: Int64) {
        self.name = name
        self.fd = fd
        self.size = size
    }

    deinit { close(fd) }

    func append(line: Int, reason: String, record: String) throws(ConnectorError) {
        try write("\(line),\(Self.quoted(reason)),\(Self.quoted(record))\n")
    }

    private func write(_ text: String) throws(ConnectorError) {
        let bytes = Array(text.utf8)
        var written = 0
        while written < bytes.count {
            let n = bytes[written...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw ConnectorError("cannot write rejects file rejected/\(name.text): \(DropFolder.errorText())")
            }
            written += n
        }
        size += Int64(bytes.count)
    }

    static func quoted(_ field: String) -> String {
        "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
