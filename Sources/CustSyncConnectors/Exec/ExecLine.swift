import CustSyncCore

/// One line of the exec protocol, parsed.
enum ExecLine: Equatable {
    case record(SourceRecord)
    case state(Cursor)
    case log(level: String, message: String)
}
