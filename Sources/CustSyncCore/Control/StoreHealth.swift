import Foundation

/// Whether the store takes writes, as `syncctl status` shows it: `ok`, or the kind of fault
/// (`full`, `read-only`, `denied`, `unavailable`, `damaged`) with what to do, since when, and
/// when the writer next tries a write.
public struct StoreHealth: Codable, Sendable, Equatable {
    public var state: String
    public var message: String?
    public var since: Date?
    public var nextProbe: Date?

    public init(fault: StoreFault? = nil, since: Date? = nil, nextProbe: Date? = nil) {
        state = fault?.kind.rawValue ?? "ok"
        message = fault?.description
        self.since = fault == nil ? nil : since
        self.nextProbe = fault == nil ? nil : nextProbe
    }

    public var isOK: Bool { state == "ok" }
}
