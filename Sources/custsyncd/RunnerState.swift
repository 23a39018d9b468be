/// Where a connector's scheduler loop is.
enum RunnerState: String, Sendable {
    case idle
    case polling
    case backingOff = "backing-off"
    case failing
    case paused
    case disabled
}
