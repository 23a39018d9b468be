import CLinux
import Foundation
import Glibc

/// A program started with `posix_spawn`, its stdout on a pipe. The type owns the pid and the
/// read end of the pipe: `deinit` closes the pipe and kills and reaps a child still running,
/// so no zombie and no descriptor outlives it.
final class ChildProcess {
    let pid: pid_t
    let stdout: Int32
    private var exitStatus: Int32?
    /// Whether `terminate()` signalled the program: its end is then the daemon's doing (a
    /// timeout or a stop), and "killed by signal 15" would blame it on someone else.
    private(set) var wasTerminated = false

    init(argv command: [String], environment: [String: String], workingDirectory: String?) throws(ConnectorError) {
        guard !command.isEmpty else { throw ConnectorError("Command= is empty", permanent: true) }
        // glibc's posix_spawn_file_actions_addchdir_np is not visible to Swift; coreutils'
        // `env --chdir` does the same in the child.
        let argv = workingDirectory.map { ["env", "--chdir=\($0)", "--"] + command } ?? command
        let program = argv[0]
        var fds: [Int32] = [0, 0]
        // Only the child's stdout copy (dup2'ed to 1) may survive exec, and the pipe is
        // close-on-exec from the start: a program another connector spawns in between would
        // otherwise hold the write end, and this poll would see no EOF while that one runs.
        guard clinux_pipe_cloexec(&fds) == 0 else { throw ConnectorError("pipe2: \(String(cString: strerror(errno)))") }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, fds[1], 1)
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        // Nothing else of the daemon's reaches the program: libcurl (before 8.17) opens its
        // connections and socket pairs without close-on-exec, and another connector's open
        // order-feed or IMAP connection must not live on in a program that outlasts it.
        guard clinux_spawn_close_from(&actions, 3) == 0 else {
            close(fds[0]); close(fds[1])
            throw ConnectorError("posix_spawn_file_actions_addclosefrom_np failed")
        }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // The child gets default signal handling and its own process group, so a kill reaches
        // its children too and the daemon's ignored signals are not inherited.
        var defaults = sigset_t()
        sigfillset(&defaults)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETPGROUP))

        let cArgs = argv.map { strdup($0) } + [nil]
        let cEnv = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (cArgs + cEnv).forEach { free($0) } }
        var child: pid_t = 0
        let rc = posix_spawnp(&child, program, &actions, &attributes, cArgs, cEnv)
        close(fds[1])
        guard rc == 0 else {
            close(fds[0])
            throw ConnectorError("cannot start \(program): \(String(cString: strerror(rc)))", permanent: rc == ENOENT || rc == EACCES)
        }
        pid = child
        stdout = fds[0]
    }

    deinit {
        close(stdout)
        if exitStatus == nil {
            kill(-pid, SIGKILL)
            _ = waitForExit()
        }
    }

    /// Asks the program and its process group to stop: SIGTERM, then SIGKILL after `grace` to
    /// whatever of the group is left. The program exiting is not enough: a helper it started
    /// may catch SIGTERM (or ignore it) and would run on, unwatched, long after the poll.
    func terminate(grace: TimeInterval = 2) {
        guard exitStatus == nil else { return }
        wasTerminated = true
        kill(-pid, SIGTERM)
        let end = Date().addingTimeInterval(grace)
        while Date() < end {
            if exitStatus == nil { _ = reapIfExited() }
            if exitStatus != nil && !groupIsAlive { return }
            usleep(20_000)
        }
        kill(-pid, SIGKILL)
        _ = waitForExit()
    }

    /// Some process of the group (the program's pid is its id) still exists. The id cannot be
    /// given to another process while the group has a member, so signalling it is safe.
    private var groupIsAlive: Bool { kill(-pid, 0) == 0 || errno == EPERM }

    /// Waits until `deadline` for the program to exit (it may close stdout and linger), or
    /// until `stopping` says the poll is to stop; a program still running then is terminated.
    /// Describes how it ended.
    func waitForExit(until deadline: Date, stopping: () -> Bool = { false }) -> String {
        while exitStatus == nil && Date() < deadline && !stopping() {
            if reapIfExited() { break }
            usleep(10_000)
        }
        if exitStatus == nil { terminate() }
        return waitForExit()
    }

    /// Waits for the program to exit and describes how it ended.
    func waitForExit() -> String {
        if exitStatus == nil {
            var status: Int32 = 0
            while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
            exitStatus = status
        }
        return Self.describe(exitStatus!)
    }

    var exitedSuccessfully: Bool { exitStatus.map { $0 & 0x7f == 0 && ($0 >> 8) & 0xff == 0 } ?? false }

    private func reapIfExited() -> Bool {
        var status: Int32 = 0
        if waitpid(pid, &status, WNOHANG) == pid { exitStatus = status; return true }
        return false
    }

    private static func describe(_ status: Int32) -> String {
        let signal = status & 0x7f
        if signal == 0 { return "exited with status \((status >> 8) & 0xff)" }
        return "killed by signal \(signal)"
    }
}
