import Foundation
import Glibc
import XCTest

/// The control socket against clients that misbehave. Anyone may connect to it (mode 0666),
/// so no client, whatever its role, may take it away from the others.
final class ControlSocketTests: XCTestCase {
    private var users = TestUsers()

    override func tearDown() {
        users.removeAll()
    }

    func testAFloodOfIdleConnectionsFromOneUserLocksNobodyOut() throws {
        try XCTSkipUnless(TestUsers.isRoot, "the test runs syncctl as a second user: run it as root")
        let other = try users.user("other")
        let installation = try TestInstallation()
        CustomerFixture.openToEveryone(installation)
        // A descriptor limit a flood can reach (a systemd service's soft limit is 1024).
        let daemon = try installation.start(launcher: ["/usr/bin/prlimit", "--nofile=128", "--"])

        // One client opens connections and never sends a byte.
        let flood = Self.flood(installation.socketPath, connections: 300)
        defer { for fd in flood { close(fd) } }
        XCTAssertLessThan(Self.openDescriptors(daemon.pid), 64, "the daemon holds only a bounded number of them")
        let whoami = try TestUsers.run(as: other, "/usr/bin/timeout",
                                       ["10", Paths.syncctl, "--socket", installation.socketPath, "whoami", "--json"])
        XCTAssertEqual(whoami.status, 0, "another user is answered during the flood: \(whoami.stderr)")
        let refused = try CommandResult.run("/usr/bin/timeout", ["10", Paths.syncctl, "--socket", installation.socketPath, "whoami"])
        XCTAssertNotEqual(refused.status, 124, "the flooding user is refused, not left waiting")
        XCTAssertTrue(daemon.isRunning)
    }

    func testTheSocketAnswersAgainAfterTheDaemonRanOutOfDescriptors() throws {
        let installation = try TestInstallation()
        let daemon = try installation.start()
        // A few descriptors to spare, fewer than one user may hold connections.
        let idle = Self.openDescriptors(daemon.pid)
        let limit = idle + 10
        let prlimit = try CommandResult.run("/usr/bin/prlimit", ["--pid", String(daemon.pid), "--nofile=\(limit)"])
        XCTAssertEqual(prlimit.status, 0, prlimit.stderr)

        let flood = Self.flood(installation.socketPath, connections: 16)
        XCTAssertGreaterThanOrEqual(Self.openDescriptors(daemon.pid), limit, "the daemon ran out of descriptors")
        for fd in flood { close(fd) }
        // The daemon's own descriptors come and go (store readers, a poll), so what is asserted
        // is what a user needs: the socket answers again once the flood is gone.
        var last: CommandResult?
        let answered = waitUntil(timeout: 20) {
            last = try? CommandResult.run("/usr/bin/timeout", ["5", Paths.syncctl, "--socket", installation.socketPath, "status", "--json"])
            return last?.status == 0
        }
        XCTAssertTrue(answered, "the socket answers again once the flood is gone: \(last?.stderr ?? "")"
                      + " (\(Self.openDescriptors(daemon.pid)) descriptors open, \(idle) before the flood)")
        XCTAssertTrue(daemon.isRunning)
    }

    func testAnExportToAClientThatStopsReadingIsAbandonedAndLetsTheStoreCheckpoint() throws {
        let installation = try TestInstallation()
        try installation.addGenerator("gen", count: 5000, stateEvery: 1000)
        let daemon = try installation.start()
        XCTAssertTrue(try waitUntil(timeout: 60) { (try installation.connectorStatus("gen")?["applied"] as? Int) == 5000 })

        // One client asks for an export (megabytes, more than the socket buffers hold) and
        // never reads; another connects and never sends a request.
        let stalled = try XCTUnwrap(Self.connectWithoutWaiting(installation.socketPath))
        defer { close(stalled) }
        let request = Array(#"{"command":"export"}"#.utf8) + [UInt8(ascii: "\n")]
        XCTAssertEqual(send(stalled, request, request.count, Int32(MSG_NOSIGNAL)), request.count)
        let idle = try XCTUnwrap(Self.connectWithoutWaiting(installation.socketPath))
        defer { close(idle) }

        // The export's read transaction pins the WAL: a checkpoint cannot reset it.
        XCTAssertTrue(try waitUntil(timeout: 10) { try Self.checkpointIsBlocked(installation) },
                      "the stalled export should hold a read snapshot while it waits")
        let stalledAt = Date()
        XCTAssertTrue(daemon.waitForLog("control.client-stalled", timeout: ControlTimeout.seconds + 15), daemon.log)
        XCTAssertGreaterThanOrEqual(Date().timeIntervalSince(stalledAt), ControlTimeout.seconds - 5)
        XCTAssertFalse(try Self.checkpointIsBlocked(installation), "the abandoned export let go of its snapshot")
        XCTAssertTrue(Self.reachesEnd(stalled, timeout: 10), "the daemon closed the stalled connection")
        XCTAssertTrue(Self.reachesEnd(idle, timeout: 10), "the daemon closed the connection that sent no request")
        XCTAssertEqual(try installation.syncctl(["status", "--json"]).status, 0)
        XCTAssertTrue(daemon.isRunning)
    }

    /// The daemon's bound on a client that neither reads nor writes (ControlServer.clientTimeout).
    private enum ControlTimeout { static let seconds: TimeInterval = 30 }

    /// A TRUNCATE checkpoint run beside the daemon reports that a reader kept it from finishing.
    private static func checkpointIsBlocked(_ installation: TestInstallation) throws -> Bool {
        let result = try CommandResult.run("/usr/bin/sqlite3", [installation.storePath, ".timeout 2000",
                                                                "PRAGMA wal_checkpoint(TRUNCATE);"])
        return result.stdout.hasPrefix("1|")
    }

    /// Reads and drops what `fd` receives until the peer closes it (true) or `timeout` passes.
    private static func reachesEnd(_ fd: Int32, timeout: TimeInterval) -> Bool {
        let end = Date().addingTimeInterval(timeout)
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while Date() < end {
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
            if n == 0 { return true }
            if n < 0 && errno != EAGAIN && errno != EINTR { return true }
            if n < 0 { usleep(20_000) }
        }
        return false
    }

    /// Up to `connections` connections to `path` that send nothing, opened within 5 s (the
    /// daemon's backlog takes only so many at once), and a moment for the daemon to take them.
    private static func flood(_ path: String, connections: Int) -> [Int32] {
        var open: [Int32] = []
        let end = Date().addingTimeInterval(5)
        while open.count < connections && Date() < end {
            if let fd = connectWithoutWaiting(path) { open.append(fd) } else { usleep(10_000) }
        }
        usleep(500_000)
        return open
    }

    /// A connection to `path` if the daemon's backlog takes it at once.
    private static func connectWithoutWaiting(_ path: String) -> Int32? {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return nil }
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &addr.sun_path) { $0.copyBytes(from: Array(path.utf8)) }
        let rc = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard rc == 0 else { close(fd); return nil }
        return fd
    }

    private static func openDescriptors(_ pid: Int32) -> Int {
        (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd").count) ?? 0
    }
}
