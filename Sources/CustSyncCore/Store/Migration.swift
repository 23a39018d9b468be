/// One step of the schema's history. Steps run in order, each in its own transaction, and
/// `PRAGMA user_version` records the last one applied.
public struct Migration: Sendable {
    public let version: Int
    public let name: String
    public let sql: String
}
