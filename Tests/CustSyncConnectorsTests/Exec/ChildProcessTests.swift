@testable import CustSyncConnectors
import Foundation
import Glibc
import XCTest

/// What a program an exec connector starts receives of the daemon's descriptors.
final class ChildProcessTests: XCTestCase {
    /// A descriptor the daemon holds without close-on-exec (as libcurl opens its connections
    /// and socket pairs) is not inherited: the program starts with stdin, stdout and stderr only.
    func testTheProgramInheritsOnlyItsStandardDescriptors() throws {
        let null = open("/dev/null", O_RDONLY)
        defer { close(null) }
        // F_DUPFD copies without close-on-exec, at a number nothing else in the child uses.
        let leaky = fcntl(null, F_DUPFD, 200)
        XCTAssertGreaterThanOrEqual(leaky, 200)
        defer { close(leaky) }
        XCTAssertEqual(fcntl(leaky, F_GETFD) & FD_CLOEXEC, 0)
        let script = #"for f in /proc/$$/fd/*; do echo "${f##*/}"; done"#
        let child = try ChildProcess(argv: ["/bin/sh", "-c", script], environment: ["PATH": "/usr/bin:/bin"],
                                     workingDirectory: nil)
        let reader = LineReader(fd: child.stdout)
        var descriptors: [String] = []
        reading: while true {
            switch try reader.next(timeout: 10) {
            case .text(let line): descriptors.append(line)
            case .tooLong(let prefix): XCTFail("too long: \(prefix)")
            case .timeout: XCTFail("no output for 10 s"); break reading
            case .end: break reading
            }
        }
        XCTAssertEqual(child.waitForExit(), "exited with status 0")
        XCTAssertTrue(descriptors.contains("1"), "the listing saw the program's stdout: \(descriptors)")
        XCTAssertFalse(descriptors.contains(String(leaky)), "descriptor \(leaky) was inherited: \(descriptors)")
        // Besides 0, 1 and 2, only the shell's own handle on /proc/$$/fd while it lists it.
        XCTAssertLessThanOrEqual(descriptors.count, 4, "\(descriptors)")
    }
}
