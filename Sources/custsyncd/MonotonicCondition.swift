import Glibc

/// A mutex and a condition variable whose timed waits run on `CLOCK_MONOTONIC`. Foundation's
/// `NSCondition.wait(until:)` waits for a wall-clock time: when the system clock steps back an
/// hour (an NTP correction, a restored VM snapshot), a one-second wait lasts an hour. The type
/// owns both pthread objects and destroys them in `deinit`.
final class MonotonicCondition: @unchecked Sendable {
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)

    init() {
        pthread_mutex_init(mutex, nil)
        var attributes = pthread_condattr_t()
        pthread_condattr_init(&attributes)
        pthread_condattr_setclock(&attributes, CLOCK_MONOTONIC)
        pthread_cond_init(condition, &attributes)
        pthread_condattr_destroy(&attributes)
    }

    deinit {
        pthread_cond_destroy(condition)
        pthread_mutex_destroy(mutex)
        condition.deallocate()
        mutex.deallocate()
    }

    func lock() { pthread_mutex_lock(mutex) }
    func unlock() { pthread_mutex_unlock(mutex) }

    func withLock<T>(_ body: () throws -> T) rethrows -> T {
        lock()
        defer { unlock() }
        return try body()
    }

    func broadcast() { pthread_cond_broadcast(condition) }

    /// With the lock held: waits at most `seconds` of monotonic time for a `broadcast`, or a
    /// spurious wake-up; callers re-check what they wait for.
    func wait(seconds: Double) {
        let seconds = min(max(seconds, 0), 86_400)
        var deadline = timespec()
        clock_gettime(CLOCK_MONOTONIC, &deadline)
        let whole = seconds.rounded(.down)
        deadline.tv_sec += Int(whole)
        deadline.tv_nsec += Int((seconds - whole) * 1_000_000_000)
        if deadline.tv_nsec >= 1_000_000_000 {
            deadline.tv_sec += 1
            deadline.tv_nsec -= 1_000_000_000
        }
        _ = pthread_cond_timedwait(condition, mutex, &deadline)
    }
}
