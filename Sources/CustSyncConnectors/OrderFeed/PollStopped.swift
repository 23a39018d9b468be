/// Unwinds a poll that was asked to stop (shutdown or reload); not a failure.
struct PollStopped: Error {}
