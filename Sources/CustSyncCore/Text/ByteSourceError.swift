/// Failures of the byte sources themselves (as opposed to bad content, which is reported per record).
public enum ByteSourceError: Error, Sendable, Equatable, CustomStringConvertible {
    case openFailed(path: String, errno: Int32)
    case readFailed(errno: Int32)
    case seekFailed(errno: Int32)
    /// The stream was declared UTF-16 but does not start with FF FE or FE FF: without a BOM
    /// the byte order is a guess, and a wrong guess turns every record into garbage.
    case missingUTF16BOM

    public var description: String {
        switch self {
        case let .openFailed(path, code): return "cannot open \(path): errno \(code)"
        case let .readFailed(code): return "read failed: errno \(code)"
        case let .seekFailed(code): return "seek failed: errno \(code)"
        case .missingUTF16BOM: return "UTF-16 input without a byte order mark (FF FE or FE FF)"
        }
    }
}
