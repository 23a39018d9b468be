/// An attribute of the `call` interaction a row of a call-center export becomes
/// (`call.time`, `call.agent`, … in `[Mapping]`).
public enum CallAttribute: String, CaseIterable, Sendable, Hashable {
    /// When the call happened; also the row's observed time. Read with `TimeFormat=`/`TimeZone=`.
    case time
    /// The upstream call id: when mapped, the interaction's idempotency key.
    case id
    case agent
    /// Outcome (answered, no answer, callback …): the interaction's status.
    case disposition
    /// Talk time as exported (seconds or H:MM:SS), kept as text.
    case duration
    /// Free text: the interaction's summary.
    case notes
    /// inbound / outbound.
    case direction
}
