/// Where an order feed's secret lives (`Credential=` in `[Feed]`). Secrets never sit in the
/// configuration itself.
public enum FeedCredentialSource: Sendable, Equatable, CustomStringConvertible {
    /// A file in `$CREDENTIALS_DIRECTORY` (systemd `LoadCredential=`), by name.
    case named(String)
    /// A file at an absolute path; it must be mode 0600 or stricter.
    case file(String)

    public var description: String {
        switch self {
        case .named(let name): return "credential \(name) in $CREDENTIALS_DIRECTORY"
        case .file(let path): return "credential file \(path)"
        }
    }
}
