import CustSyncCore
import Glibc

/// Writes one event a line to stderr with a `<N>` syslog priority prefix, which journald turns
/// into the entry's priority. Fields are `key=value`; values with spaces are quoted. Callers
/// never pass secrets, and personal data only at debug level.
struct Logger: Sendable {
    typealias Level = DaemonSettings.LogLevel
    var threshold: Level

    func debug(_ event: String, _ fields: [(String, Any?)] = []) { write(.debug, event, fields) }
    func info(_ event: String, _ fields: [(String, Any?)] = []) { write(.info, event, fields) }
    func notice(_ event: String, _ fields: [(String, Any?)] = []) { write(.notice, event, fields) }
    func warning(_ event: String, _ fields: [(String, Any?)] = []) { write(.warning, event, fields) }
    func error(_ event: String, _ fields: [(String, Any?)] = []) { write(.err, event, fields) }

    func write(_ level: Level, _ event: String, _ fields: [(String, Any?)]) {
        guard level >= threshold else { return }
        var line = "<\(Self.priority(level))>\(event)"
        for (key, value) in fields {
            guard let value else { continue }
            line += " \(key)=\(Self.quote("\(value)"))"
        }
        line += "\n"
        // One write(2) per line: lines from different threads never interleave.
        _ = line.withCString { Glibc.write(2, $0, strlen($0)) }
    }

    static func priority(_ level: Level) -> Int {
        switch level {
        case .debug: return 7
        case .info: return 6
        case .notice: return 5
        case .warning: return 4
        case .err: return 3
        }
    }

    static func quote(_ value: String) -> String {
        let flat = value.replacingOccurrences(of: "\n", with: "\\n")
        guard flat.isEmpty || flat.contains(where: { $0 == " " || $0 == "\"" || $0 == "=" }) else { return flat }
        return "\"" + flat.replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}
