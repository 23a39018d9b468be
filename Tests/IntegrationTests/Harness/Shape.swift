import Foundation
import XCTest

/// The documented `--json` shapes of syncctl (syncctl(1)): for each object, the keys it always
/// has and the keys it may have (members without a value are left out). Keep in step with
/// docs/man/syncctl.1.
struct Shape {
    let name: String
    let required: Set<String>
    var optional: Set<String> = []

    /// Fails unless `object` is a JSON object whose keys are all documented and include the
    /// required ones.
    static func check(_ object: Any, _ shape: Shape, file: StaticString = #filePath, line: UInt = #line) throws {
        let dictionary = try XCTUnwrap(object as? [String: Any], "\(shape.name) is not an object: \(object)", file: file, line: line)
        let keys = Set(dictionary.keys)
        XCTAssertTrue(shape.required.isSubset(of: keys), "\(shape.name) lacks \(shape.required.subtracting(keys).sorted())",
                      file: file, line: line)
        XCTAssertTrue(keys.isSubset(of: shape.required.union(shape.optional)),
                      "\(shape.name) has undocumented \(keys.subtracting(shape.required.union(shape.optional)).sorted())",
                      file: file, line: line)
    }

    static let status = Shape(name: "status", required: ["daemon", "verdict", "verdict_reason", "connectors", "store_health",
                                                        "recent_journal", "backup"],
                              optional: ["store"])
    static let storeHealth = Shape(name: "store health", required: ["state"], optional: ["message", "since", "next_probe"])
    static let connector = Shape(name: "connector", required: ["name", "kind", "state", "consecutive_failures", "records_in",
                                                              "applied", "unchanged", "rejected", "skipped"],
                                 optional: ["cursor", "last_success", "last_error", "last_error_at", "next_poll", "newest_record",
                                            "waiting_files"])
    static let journalEntry = Shape(name: "journal entry", required: ["seq", "at", "source", "kind"],
                                    optional: ["customer", "before", "after"])
    static let customer = Shape(name: "customer", required: ["code", "stage", "created_at", "updated_at", "version", "fields",
                                                            "identifiers", "tags", "interactions", "interaction_count",
                                                            "open_conflicts", "masked", "aliases"],
                                optional: ["merged_from", "tier", "rfm"])
    static let customerField = Shape(name: "field", required: ["field", "value"], optional: ["source", "rule", "observed_at"])
    static let identifier = Shape(name: "identifier", required: ["kind", "value", "source", "first_seen"])
    static let interaction = Shape(name: "interaction", required: ["kind", "source", "key", "occurred_at"],
                                   optional: ["summary", "status", "amount", "currency"])
    static let customerList = Shape(name: "customers", required: ["customers", "more", "masked"])
    static let customerSummary = Shape(name: "customer summary", required: ["code", "stage", "updated_at"],
                                       optional: ["name", "email", "phone", "company", "region", "customer_type", "tier", "merged_into"])
    static let exportRecord = Shape(name: "export record", required: ["code", "stage", "created_at", "updated_at", "version",
                                                                      "identifiers", "tags"],
                                    optional: ["name", "email", "phone", "address", "company", "region", "customer_type", "tier",
                                               "merged_into"])
    static let conflictList = Shape(name: "conflicts", required: ["conflicts", "more"])
    static let conflict = Shape(name: "conflict", required: ["id", "kind", "customer", "candidates", "reason", "opened_at", "status"],
                                optional: ["field", "current_value", "other", "resolved_at", "resolution"])
    static let quarantineList = Shape(name: "quarantine", required: ["entries", "more"])
    static let quarantineEntry = Shape(name: "quarantine entry", required: ["id", "source", "origin", "reason", "at", "status"],
                                       optional: ["raw"])
    static let quarantineChange = Shape(name: "quarantine change", required: ["message", "id", "source", "status"])
    static let message = Shape(name: "message", required: ["message"])
    static let configCheck = Shape(name: "config check", required: ["ok", "path", "connectors", "problems"])
    static let verify = Shape(name: "verify", required: ["ok", "store", "checked_at", "checks"])
    static let verifyCheck = Shape(name: "check", required: ["name", "description", "ok", "problem_count", "problems"])
    static let backupResult = Shape(name: "backup", required: ["path", "bytes", "started_at", "seconds", "integrity"],
                                    optional: ["secondary_path", "secondary_error"])
    static let backupList = Shape(name: "backups", required: ["directory", "backups", "problems"], optional: ["secondary_directory"])
    static let backupEntry = Shape(name: "backup entry", required: ["path", "name", "location", "kind", "bytes", "created_at"])
    static let whoami = Shape(name: "whoami", required: ["uid", "user", "groups", "role", "masked", "commands"])

    /// Terminal columns of `text`: CJK and full-width characters take two.
    static func displayWidth(_ text: String) -> Int {
        text.unicodeScalars.reduce(0) { width, scalar in
            switch scalar.value {
            case 0x1100...0x115F, 0x2E80...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60, 0xFFE0...0xFFE6:
                return width + 2
            default:
                return width + 1
            }
        }
    }
}
