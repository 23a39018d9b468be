/// The answer to a command that does something (`sync`, `pause`, `quarantine retry`, …): a
/// one-line message for people, and for quarantine changes the entry, its connector and status.
public struct ActionResult: Codable, Sendable {
    public var message: String
    public var id: Int64?
    public var source: String?
    public var status: String?

    public init(message: String, id: Int64? = nil, source: String? = nil, status: String? = nil) {
        self.message = message
        self.id = id
        self.source = source
        self.status = status
    }
}
