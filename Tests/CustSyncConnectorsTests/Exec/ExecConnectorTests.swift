@testable import CustSyncConnectors
import CustSyncCore
import Foundation
import Glibc
import XCTest

/// The exec connector with real programs (`/bin/sh` scripts), applied through a real store.
final class ExecConnectorTests: XCTestCase {
    private var directory = ""

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("custsync-exec-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    override func tearDown() {
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// One poll as the daemon runs it; `stopAfter` asks it to stop after that many seconds, as
    /// a shutdown or a reload does.
    private func poll(_ script: String, _ store: FeedTestStore, timeout: TimeInterval,
                      stopAfter: TimeInterval? = nil) throws {
        let exec = ExecConnector(name: "export", settings: ExecSettings(argv: ["/bin/sh", "-c", script]))
        let cursor = try store.writer.perform { try $0.cursor(for: exec.name) }
        let context = PollContext(connector: exec.name, deadline: Date().addingTimeInterval(timeout),
                                  batchSize: 100) { [writer = store.writer] batch in try writer.apply(batch) }
        if let stopAfter {
            DispatchQueue.global().asyncAfter(deadline: .now() + stopAfter) { context.requestStop() }
        }
        try exec.poll(from: cursor, context: context)
    }

    /// The pid written to `file` by the program, once it is there.
    private func pid(in file: String) throws -> pid_t {
        for _ in 0..<100 {
            if let text = try? String(contentsOfFile: file, encoding: .utf8), let pid = pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines)) {
                return pid
            }
            usleep(20_000)
        }
        throw XCTSkip("the program did not write its helper's pid")
    }

    private func isRunning(_ pid: pid_t) -> Bool {
        // A zombie is gone for this purpose: it only waits for its parent (init) to reap it.
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return false }
        return !stat[stat.index(after: close)...].hasPrefix(" Z")
    }

    func testACursorTooLongForTheEnvironmentIsRefusedAndTheNextRunStillStarts() throws {
        let store = try FeedTestStore()
        // A record, a short state, another record and a state of 200 000 bytes.
        let script = #"""
            echo '{"type":"record","key":"C1","fields":{"email":"a@example.com"}}'
            echo '{"type":"state","cursor":"short"}'
            echo '{"type":"record","key":"C2","fields":{"email":"b@example.com"}}'
            awk 'BEGIN { printf "{\"type\":\"state\",\"cursor\":\""; for (i = 0; i < 20000; i++) printf "0123456789"; print "\"}" }'
            """#
        try poll(script, store, timeout: 10)
        XCTAssertEqual(try store.writer.perform { try $0.cursor(for: "export") }?.value, "short")
        XCTAssertEqual(try store.count("SELECT count(*) FROM customers"), 2)
        let reasons = try store.strings("SELECT origin || ': ' || reason FROM quarantine")
        XCTAssertEqual(reasons.count, 1, "\(reasons)")
        XCTAssertTrue(reasons.first?.hasPrefix("line 4: state cursor of 200000 bytes") == true, "\(reasons)")

        // The next run is started, with the last cursor that fits.
        let seen = directory + "/cursor"
        try poll("printf %s \"$CUSTSYNC_CURSOR\" > \(seen)", store, timeout: 10)
        XCTAssertEqual(try String(contentsOfFile: seen, encoding: .utf8), "short")
    }

    func testAStopReachesAProgramThatClosedItsOutputAndLingers() throws {
        // The program prints its records and state, closes stdout, and goes on with something
        // else (cleaning up, uploading a log) for longer than the daemon may wait at a stop.
        let pidFile = directory + "/program.pid"
        let script = """
            echo $$ > \(pidFile)
            echo '{"type":"record","key":"C1","fields":{"email":"a@example.com"}}'
            echo '{"type":"state","cursor":"c1"}'
            exec >&-
            sleep 300
            """
        let store = try FeedTestStore()
        let started = Date()
        try poll(script, store, timeout: 30, stopAfter: 1)
        XCTAssertLessThan(Date().timeIntervalSince(started), 5, "the poll waited for the program past the stop")
        XCTAssertEqual(try store.writer.perform { try $0.cursor(for: "export") }?.value, "c1")
        let program = try pid(in: pidFile)
        defer { kill(program, SIGKILL) }
        for _ in 0..<50 where isRunning(program) { usleep(20_000) }
        XCTAssertFalse(isRunning(program), "the program is still running after the stop")
    }

    func testAProgramThatClosedItsOutputAndLingersPastItsTimeoutTimesOut() throws {
        // The daemon stops the program at Timeout=: the error must say so (as README
        // "A connector fails" lists it), not blame a signal that came from the daemon itself.
        let script = """
            echo '{"type":"record","key":"C1","fields":{"email":"a@example.com"}}'
            echo '{"type":"state","cursor":"c1"}'
            exec >&-
            sleep 300
            """
        let store = try FeedTestStore()
        XCTAssertThrowsError(try poll(script, store, timeout: 1)) { error in
            XCTAssertTrue("\(error)".hasPrefix("timed out:") && "\(error)".contains("Timeout="), "\(error)")
        }
        XCTAssertEqual(try store.writer.perform { try $0.cursor(for: "export") }?.value, "c1")
    }

    func testAProgramPastItsTimeoutIsStoppedWithTheHelpersItStarted() throws {
        // The program dies of SIGTERM at once; a helper it started catches SIGTERM (here: ignores
        // it), as a worker that cleans up first would.
        let pidFile = directory + "/helper.pid"
        let script = """
            (trap '' TERM; exec sleep 300) >/dev/null 2>&1 &
            echo $! > \(pidFile)
            echo '{"type":"state","cursor":"c1"}'
            exec sleep 300
            """
        let store = try FeedTestStore()
        XCTAssertThrowsError(try poll(script, store, timeout: 1)) { error in
            XCTAssertTrue("\(error)".contains("ran past Timeout="), "\(error)")
        }
        let helper = try pid(in: pidFile)
        defer { kill(helper, SIGKILL) }
        XCTAssertEqual(try store.writer.perform { try $0.cursor(for: "export") }?.value, "c1")
        // A SIGKILL takes effect a moment after it was sent.
        for _ in 0..<50 where isRunning(helper) { usleep(20_000) }
        XCTAssertFalse(isRunning(helper), "the helper of a stopped program is still running")
    }
}
