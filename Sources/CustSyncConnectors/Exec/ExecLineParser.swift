import CustSyncCore
import Foundation

/// Parses the NDJSON lines an exec connector writes (see connectors/README.md):
/// `{"type":"record","key":…,"observed_at":…,"fields":{…},"interaction":{…}}`,
/// `{"type":"state","cursor":…}` and `{"type":"log","level":…,"message":…}`.
/// A bad line throws a reason that names what is wrong; the caller quarantines it.
struct ExecLineParser {
    /// The longest cursor a `state` line may carry, in bytes. The next run gets the cursor in
    /// the environment (`CUSTSYNC_CURSOR`), and Linux refuses to start a program with a single
    /// variable over 128 KiB (E2BIG): a longer cursor, once committed, would stop every later
    /// run from starting at all.
    static let maxCursorBytes = 64 << 10

    var now: () -> Date = { Date() }

    struct Malformed: Error { let reason: String }

    func parse(_ line: String, origin: String) throws(Malformed) -> ExecLine {
        guard let data = line.data(using: .utf8),
              let json = try? JSONSerialization.jsonObject(with: data),
              let object = json as? [String: Any] else {
            throw Malformed(reason: "not a JSON object")
        }
        switch object["type"] as? String {
        case "record": return .record(try record(object, origin: origin, raw: line))
        case "state":
            guard let cursor = object["cursor"], !(cursor is NSNull) else {
                throw Malformed(reason: "state line without \"cursor\"")
            }
            let text = Self.text(cursor) ?? ""
            guard text.utf8.count <= Self.maxCursorBytes else {
                throw Malformed(reason: "state cursor of \(text.utf8.count) bytes is longer than \(Self.maxCursorBytes), which the next run could not be given in CUSTSYNC_CURSOR: keep the cursor short (a time, an id or a page token, not a list)")
            }
            guard !text.utf8.contains(0) else {
                throw Malformed(reason: "state cursor contains a NUL character, which CUSTSYNC_CURSOR cannot carry (the next run would get it cut short)")
            }
            return .state(Cursor(text))
        case "log":
            return .log(level: object["level"] as? String ?? "info", message: object["message"] as? String ?? "")
        case let other?:
            throw Malformed(reason: "unknown type \"\(other)\" (expected record, state or log)")
        case nil:
            throw Malformed(reason: "missing \"type\"")
        }
    }

    private func record(_ object: [String: Any], origin: String, raw: String) throws(Malformed) -> SourceRecord {
        guard let key = object["key"].flatMap(Self.text), !key.isEmpty else {
            throw Malformed(reason: "record without \"key\"")
        }
        let observedAt = try object["observed_at"].map { value throws(Malformed) in
            try Self.date(value, name: "observed_at")
        } ?? now()
        var fields: [CanonicalField: String] = [:]
        if let raw = object["fields"] {
            guard let dict = raw as? [String: Any] else { throw Malformed(reason: "\"fields\" is not an object") }
            for (name, value) in dict {
                guard let field = CanonicalField(rawValue: name) else {
                    let valid = CanonicalField.allCases.map(\.rawValue).joined(separator: ", ")
                    throw Malformed(reason: "unknown field \"\(name)\" (valid: \(valid))")
                }
                if value is NSNull { continue }
                guard let text = Self.text(value) else { throw Malformed(reason: "field \"\(name)\" is not a string") }
                fields[field] = text
            }
        }
        var interaction: Interaction?
        if let raw = object["interaction"], !(raw is NSNull) {
            guard let dict = raw as? [String: Any] else { throw Malformed(reason: "\"interaction\" is not an object") }
            interaction = try self.interaction(dict, defaultTime: observedAt)
        }
        return SourceRecord(key: key, observedAt: observedAt, fields: fields, interaction: interaction,
                            origin: origin, raw: raw)
    }

    private func interaction(_ dict: [String: Any], defaultTime: Date) throws(Malformed) -> Interaction {
        let kindName = dict["kind"] as? String ?? "note"
        guard let kind = InteractionKind(rawValue: kindName) else {
            throw Malformed(reason: "unknown interaction kind \"\(kindName)\" (valid: order, call, email, note)")
        }
        guard let key = dict["key"].flatMap(Self.text), !key.isEmpty else {
            throw Malformed(reason: "interaction without \"key\"")
        }
        let at = try dict["at"].map { value throws(Malformed) in try Self.date(value, name: "interaction.at") } ?? defaultTime
        var amount: Double?
        if let value = dict["amount"], !(value is NSNull) {
            guard let number = (value as? NSNumber)?.doubleValue ?? (value as? String).flatMap(Double.init) else {
                throw Malformed(reason: "interaction.amount is not a number")
            }
            amount = number
        }
        var details: [String: String] = [:]
        if let extra = dict["details"] as? [String: Any] {
            for (k, v) in extra { if let text = Self.text(v) { details[k] = text } }
        }
        return Interaction(kind: kind, key: key, occurredAt: at, summary: dict["summary"].flatMap(Self.text),
                           status: dict["status"].flatMap(Self.text), amount: amount,
                           currency: dict["currency"].flatMap(Self.text), details: details)
    }

    static func text(_ value: Any) -> String? {
        switch value {
        case let s as String: return s
        case let n as NSNumber:
            let d = n.doubleValue
            return d == d.rounded() && abs(d) < 1e15 ? String(Int64(d)) : String(d)
        default: return nil
        }
    }

    static func date(_ value: Any, name: String) throws(Malformed) -> Date {
        if let n = value as? NSNumber { return Date(timeIntervalSince1970: n.doubleValue) }
        if let s = value as? String, let d = ISO8601.date(s) { return d }
        throw Malformed(reason: "\(name) is not an ISO 8601 time or epoch seconds")
    }
}
