import Foundation
import Glibc
import XCTest

/// `syncctl journal --follow` on a bad day: a reader that goes away, a follower that stops
/// reading for longer than the daemon waits for a request.
final class JournalFollowTests: XCTestCase {
    private func started() throws -> TestInstallation {
        let installation = try TestInstallation(mainExtra: CustomerFixture.configuration)
        try CustomerFixture.install(in: installation)
        try installation.start()
        XCTAssertTrue(try waitUntil(timeout: 30) { (try installation.connectorStatus("crm")?["cursor"] as? String) == "done" })
        return installation
    }

    /// A follower writing into `output`, a file or a pipe's write end.
    private func follower(_ installation: TestInstallation, output: FileHandle) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Paths.syncctl)
        process.arguments = ["--socket", installation.socketPath, "journal", "--follow", "--since", "0", "--json"]
        process.standardOutput = output
        try process.run()
        return process
    }

    func testFollowEndsWhenItsReaderIsGone() throws {
        let installation = try started()
        // `syncctl journal --follow | head -1`: once head has its line and exits, the follower
        // must end too instead of polling the daemon for ever.
        var ends: [Int32] = [-1, -1]
        XCTAssertEqual(pipe(&ends), 0)
        // Only the follower may hold the write end, and only this test the read end.
        for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
        let process = try follower(installation, output: FileHandle(fileDescriptor: ends[1], closeOnDealloc: true))
        defer { if process.isRunning { process.terminate(); process.waitUntilExit() } }
        close(ends[1])
        var byte: UInt8 = 0
        XCTAssertEqual(read(ends[0], &byte, 1), 1, "the follower printed the journal")
        close(ends[0])
        XCTAssertEqual(try installation.syncctl(["sync", "crm"]).status, 0, "one more entry to print")
        XCTAssertTrue(waitUntil(timeout: 10) { !process.isRunning }, "the follower still runs with nobody reading")
        if !process.isRunning { XCTAssertEqual(process.terminationStatus, 0) }
    }

    func testFollowCarriesOnAfterTheDaemonClosedItsIdleConnection() throws {
        let installation = try started()
        // A follower stopped with Ctrl-Z (or blocked on a reader that stopped reading) sends no
        // request for longer than the daemon waits for one, and the daemon closes its
        // connection. Resumed, it must carry on where it was: the daemon is still running.
        let output = installation.root.file("follow.out")
        _ = FileManager.default.createFile(atPath: output, contents: nil)
        let process = try follower(installation, output: try FileHandle(forWritingTo: URL(fileURLWithPath: output)))
        defer { if process.isRunning { process.terminate(); process.waitUntilExit() } }
        func lines() -> [String] {
            ((try? String(contentsOfFile: output, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
        }
        XCTAssertTrue(waitUntil(timeout: 10) { !lines().isEmpty })
        kill(process.processIdentifier, SIGSTOP)
        sleep(33) // the daemon's clientTimeout (30 s), and a little
        kill(process.processIdentifier, SIGCONT)
        XCTAssertEqual(try installation.syncctl(["sync", "crm"]).status, 0, "one more entry to follow")
        XCTAssertTrue(waitUntil(timeout: 10) { lines().contains { $0.contains(#"\"command\":\"sync\""#) } },
                      "the entry after the pause was not printed: \(lines().suffix(3))")
        XCTAssertTrue(process.isRunning, "the follower ended (status \(process.isRunning ? 0 : process.terminationStatus))")
        let seqs = lines().compactMap { line in
            (try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])?["seq"] as? Int
        }
        XCTAssertEqual(seqs, Array(1...(seqs.last ?? 0)), "every entry once, in order")
    }
}
