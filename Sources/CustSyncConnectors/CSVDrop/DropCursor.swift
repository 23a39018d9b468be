import CustSyncCore
import Foundation

/// The csv-drop connector's cursor: the file in `processing/`, its content hash and how far its
/// rows are committed. Stored as JSON, keys in a fixed order so that `syncctl status`, which
/// shows the start of the cursor, shows the file and its encoding first:
///
///     {"file":"calls.csv","encoding":"gb18030","state":"reading","line":5001,"offset":391220,
///      "rejects":"calls.csv.rejects.csv","rejects_size":811,"sha256":"9f86d0…"}
///
/// `offset`/`line` are where the next record starts (for UTF-16, offsets in the transcoded
/// UTF-8 stream). After a crash the connector resumes there, never before a committed row.
struct DropCursor: Equatable, Sendable {
    enum State: String, Codable, Sendable {
        /// Rows up to `offset` are committed; more may follow.
        case reading
        /// Every row is committed; the file goes (or went) to `archive/`.
        case done
        /// Its content was already read under another name; it goes to `archive/` unread.
        case duplicate
        /// It could not be read at all, or changed after rows of it were committed (`reason`); it
        /// goes to `rejected/`.
        case rejected
    }

    var file: String
    var encoding: String?
    var state: State
    var line: Int
    var offset: Int64
    /// `rejected/` file holding this file's bad rows, and how many of its bytes are committed.
    var rejects: String?
    var rejectsSize: Int64
    /// SHA-256 of the content; for a file too large to hash, `size:<bytes>`.
    var sha256: String
    var reason: String?

    init(file: String, encoding: String? = nil, state: State, line: Int = 1, offset: Int64 = 0,
         rejects: String? = nil, rejectsSize: Int64 = 0, sha256: String, reason: String? = nil) {
        self.file = file
        self.encoding = encoding
        self.state = state
        self.line = line
        self.offset = offset
        self.rejects = rejects
        self.rejectsSize = rejectsSize
        self.sha256 = sha256
        self.reason = reason
    }

    var cursor: Cursor {
        var pairs: [(String, String)] = [("file", JSONText.string(file))]
        if let encoding { pairs.append(("encoding", JSONText.string(encoding))) }
        pairs.append(("state", JSONText.string(state.rawValue)))
        pairs.append(("line", String(line)))
        pairs.append(("offset", String(offset)))
        if let rejects {
            pairs.append(("rejects", JSONText.string(rejects)))
            pairs.append(("rejects_size", String(rejectsSize)))
        }
        pairs.append(("sha256", JSONText.string(sha256)))
        if let reason { pairs.append(("reason", JSONText.string(reason))) }
        return Cursor("{" + pairs.map { "\(JSONText.string($0.0)):\($0.1)" }.joined(separator: ",") + "}")
    }

    /// Reads a stored cursor; `nil` for anything that is not one (e.g. none yet).
    init?(_ cursor: Cursor?) {
        guard let cursor, let object = try? JSONSerialization.jsonObject(with: Data(cursor.value.utf8)) as? [String: Any],
              let file = object["file"] as? String, let stateName = object["state"] as? String,
              let state = State(rawValue: stateName), let sha256 = object["sha256"] as? String else { return nil }
        // A cursor naming something that is not a plain file name is ignored rather than followed.
        guard DropFileName(file).isUsable else { return nil }
        self.init(file: file, encoding: object["encoding"] as? String, state: state,
                  line: (object["line"] as? NSNumber)?.intValue ?? 1,
                  offset: (object["offset"] as? NSNumber)?.int64Value ?? 0,
                  rejects: (object["rejects"] as? String).flatMap { DropFileName($0).isUsable ? $0 : nil },
                  rejectsSize: (object["rejects_size"] as? NSNumber)?.int64Value ?? 0,
                  sha256: sha256, reason: object["reason"] as? String)
    }
}
