@testable import CustSyncConnectors
import CustSyncCore
import Foundation
import XCTest

/// `LineReader` on the stdout of a real child process.
final class LineReaderTests: XCTestCase {
    /// A program that prints 40 MB of lines: pipe reads end in the middle of a line nearly
    /// every time, and what was read must still not pile up in memory.
    func testMemoryStaysAtOneLineWhileAProgramPrintsFortyMegabytes() throws {
        let script = #"awk 'BEGIN { for (i = 0; i < 400000; i++) printf "{\"type\":\"log\",\"message\":\"%090d\"}\n", i }'"#
        let child = try ChildProcess(argv: ["/bin/sh", "-c", script], environment: ["PATH": "/usr/bin:/bin"],
                                     workingDirectory: nil)
        let reader = LineReader(fd: child.stdout)
        var lines = 0
        var largestBuffer = 0
        reading: while true {
            switch try reader.next(timeout: 10) {
            case .text(let text):
                if text.utf8.count != 117 { XCTFail("line \(lines + 1) is \(text)") }
                lines += 1
            case .tooLong(let prefix): XCTFail("too long: \(prefix)")
            case .timeout: XCTFail("no output for 10 s")
            case .end: break reading
            }
            largestBuffer = max(largestBuffer, reader.bufferedByteCount)
        }
        XCTAssertEqual(child.waitForExit(), "exited with status 0")
        XCTAssertEqual(lines, 400_000)
        // One line and one read (64 KiB), not the 47 MB the program printed.
        XCTAssertLessThan(largestBuffer, 256 << 10)
    }
}
