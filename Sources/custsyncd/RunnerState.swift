/// Where a connector's scheduler loop is.
enum RunnerState: String, Sendable {
    case idle
    case polling
    case backingOff = "backing-off"
    case failing
    case paused
    /// The store takes no writes (disk full, read-only …): no poll starts until it does.
    case waitingForStore = "waiting-for-store"
    case disabled
}
