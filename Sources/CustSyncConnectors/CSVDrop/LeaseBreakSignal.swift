import Glibc

/// The signal the kernel sends a lease holder when another process opens the leased file in a
/// conflicting way (a "lease break"): SIGIO, whose default action terminates the process.
///
/// Taking an `F_SETLEASE` lease makes the process the owner of the descriptor, so a writer that
/// opens the file in the microseconds between `F_RDLCK` and `F_UNLCK` of the readiness probe
/// would kill the daemon. The probe never waits for a break (it drops the lease at once), so the
/// signal carries nothing it needs: it is ignored, once for the whole process, before the first
/// lease is taken. A handler someone else installed is left as it is. Children of the exec
/// connector start with default signal handling (`ChildProcess`), so they do not inherit this.
enum LeaseBreakSignal {
    /// Makes sure SIGIO cannot terminate the process; idempotent and thread-safe.
    static func makeHarmless() {
        _ = ignored
    }

    /// Swift runs a static's initialiser once, under a lock, on first use.
    private static let ignored: Void = {
        var current = sigaction()
        guard sigaction(SIGIO, nil, &current) == 0, current.__sigaction_handler.sa_handler == nil else { return }
        signal(SIGIO, SIG_IGN)
    }()
}
